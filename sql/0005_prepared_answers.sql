-- Prepared answers: a library per debate that moderators and guests write
-- before the event, inserted into an answer in one action (and editable
-- before it is sent). Kept with the debate (a duplicated debate copies
-- them), so in SQL rather than Redis.
CREATE TABLE prepared_answers (
  id          TEXT   PRIMARY KEY,
  event_id    TEXT   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  title       TEXT   NOT NULL,
  text        TEXT   NOT NULL,
  lang        TEXT   NOT NULL,
  created_by  TEXT   NOT NULL,
  created_ms  BIGINT NOT NULL,
  updated_ms  BIGINT NOT NULL
);
CREATE INDEX prepared_answers_event ON prepared_answers (event_id, created_ms);
