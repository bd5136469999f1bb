-- E-mail reminders without an account (api/reminders.cpp, mail/outbox.hpp).
--
-- One row per address and debate, from the request to the reminder. It is
-- deleted once the reminder is sent, on unsubscribe, when the debate starts
-- (or is closed or deleted), after a permanent delivery failure, and when
-- still unconfirmed a day after the request: the address is kept only while
-- it is needed to send (docs/PRIVACY.md). The links' tokens are stored only
-- as hex SHA-256, written by the worker that sends the mail carrying them.
--
-- Which mail is due is computed when it is due, from the debate's current
-- starts_at: a debate moved later moves its reminder. Every worker's outbox
-- reads what is due; claimed_until_ms is the claim one worker takes with a
-- conditional UPDATE before sending, so that no two send the same mail.
CREATE TABLE reminders (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         TEXT    NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  email            TEXT    NOT NULL,
  lang             TEXT    NOT NULL,
  base_url         TEXT    NOT NULL,  -- the site's public URL at the request: the mails' links
  created_ms       BIGINT  NOT NULL,
  confirm_hash     TEXT    UNIQUE,    -- NULL until the confirmation mail is written
  unsubscribe_hash TEXT    UNIQUE,
  confirmed_ms     BIGINT  NOT NULL DEFAULT 0,
  confirm_due      INTEGER NOT NULL DEFAULT 1 CHECK (confirm_due IN (0, 1)),
  confirm_sent_ms  BIGINT  NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,  -- failed attempts at the mail now due
  next_attempt_ms  BIGINT  NOT NULL DEFAULT 0,
  claimed_until_ms BIGINT  NOT NULL DEFAULT 0,
  UNIQUE (event_id, email)
);
CREATE INDEX reminders_event ON reminders (event_id);
