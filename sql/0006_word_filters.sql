-- Blocked words and patterns (fcgi/domain/word_filter.hpp): a question that
-- matches one is flagged for the moderators, never dropped. `scope` is a
-- debate's id, or '' for the site-wide list the back-office keeps. Kept in
-- the order they were given (`position`).
CREATE TABLE word_filters (
  scope     TEXT    NOT NULL,
  position  INTEGER NOT NULL,
  pattern   TEXT    NOT NULL,
  lang      TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (scope, position)
);
