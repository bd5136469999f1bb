-- Initial schema: accounts, API tokens, events, invites, the moderation audit
-- log and the archive of published frames.
--
-- Applied once by the migration runner (fcgi/store/sqlite/migrate.cpp) inside
-- one transaction, then recorded in schema_migrations. Never edit a migration
-- that has shipped; add sql/NNNN_name.sql instead.
--
-- Portability: plain types only, so that a PostgreSQL backend can follow.
-- Times are Unix milliseconds in BIGINT; booleans are INTEGER 0/1 with a
-- CHECK; JSON is TEXT written and read by the worker. The one SQLite spelling
-- is INTEGER PRIMARY KEY [AUTOINCREMENT] for generated ids, which PostgreSQL
-- writes BIGINT GENERATED ALWAYS AS IDENTITY.
-- Secrets (passwords, tokens) are stored only as hashes.

-- The runner creates this table itself before reading it; it is repeated here
-- so that this file describes the whole schema.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  applied_ms BIGINT  NOT NULL
);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  login         TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,   -- argon2id, libsodium crypto_pwhash_str
  role          TEXT    NOT NULL DEFAULT 'admin',
  created_ms    BIGINT  NOT NULL
);

CREATE TABLE api_tokens (
  token_hash TEXT    PRIMARY KEY,   -- hex SHA-256 of the token
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  label      TEXT    NOT NULL DEFAULT '',
  created_ms BIGINT  NOT NULL
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE events (
  id                  TEXT    PRIMARY KEY,   -- slug [a-z0-9-]{3,64}
  title               TEXT    NOT NULL,
  description         TEXT    NOT NULL DEFAULT '',
  starts_at_ms        BIGINT  NOT NULL,
  ends_at_ms          BIGINT  NOT NULL,
  languages           TEXT    NOT NULL DEFAULT '["fr"]',  -- JSON array, first is the default
  guests_json         TEXT    NOT NULL DEFAULT '[]',
  branding_json       TEXT    NOT NULL DEFAULT '{}',
  questions_before    INTEGER NOT NULL DEFAULT 1 CHECK (questions_before IN (0, 1)),
  late_questions_days INTEGER NOT NULL DEFAULT 0,
  moderation          TEXT    NOT NULL DEFAULT 'pre',
  closed              INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
  created_ms          BIGINT  NOT NULL,
  updated_ms          BIGINT  NOT NULL
);
-- GET /api/events lists the newest starts_at first.
CREATE INDEX events_starts_at ON events (starts_at_ms);

CREATE TABLE invites (
  token_hash TEXT   PRIMARY KEY,   -- hex SHA-256 of the token
  event_id   TEXT   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  role       TEXT   NOT NULL CHECK (role IN ('moderator', 'guest')),
  label      TEXT   NOT NULL DEFAULT '',
  created_ms BIGINT NOT NULL
);
CREATE INDEX invites_event ON invites (event_id);

-- AUTOINCREMENT so that ids never go back, even after deletions: the audit
-- view orders by id.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id     TEXT   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  actor        TEXT   NOT NULL,
  action       TEXT   NOT NULL,
  target       TEXT   NOT NULL DEFAULT '',
  details_json TEXT   NOT NULL DEFAULT '{}',
  at_ms        BIGINT NOT NULL
);
CREATE INDEX audit_log_event ON audit_log (event_id, id);

-- One row per frame of the public stream, keyed by its Redis stream id so
-- that archiving the same frame twice is harmless.
CREATE TABLE archived_messages (
  event_id  TEXT   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  cursor    TEXT   NOT NULL,
  type      TEXT   NOT NULL,
  data_json TEXT   NOT NULL,
  at_ms     BIGINT NOT NULL,
  PRIMARY KEY (event_id, cursor)
);
