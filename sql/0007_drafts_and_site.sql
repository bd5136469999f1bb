-- Debates as the back-office keeps them: a draft stays out of the public
-- list and answers 404 to everyone but staff until an admin publishes it;
-- each debate names the time zone its pages show times in. Site-wide
-- settings (the organiser's defaults, the data licence, the accessibility
-- statement) are one JSON document. Actions that belong to no debate (a
-- debate's deletion, which removes its own audit log with it, the site
-- settings, the site-wide blocked words) are audited in site_audit.

-- Existing debates were created public (v1): they stay published.
ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
  CHECK (status IN ('draft', 'published'));
-- IANA name ("Europe/Paris"); '' means the site's default.
ALTER TABLE events ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

CREATE TABLE site_settings (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  settings_json TEXT   NOT NULL,
  updated_ms    BIGINT NOT NULL
);

-- The site's default logo, fetched once like a debate's (event_logos),
-- under the empty debate id.
CREATE TABLE site_logo (
  event_id     TEXT   PRIMARY KEY CHECK (event_id = ''),
  source_url   TEXT   NOT NULL,
  content_type TEXT   NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  data_base64  TEXT   NOT NULL,
  sha256       TEXT   NOT NULL,
  fetched_ms   BIGINT NOT NULL
);

CREATE TABLE site_audit (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  actor        TEXT   NOT NULL,
  action       TEXT   NOT NULL,
  target       TEXT   NOT NULL DEFAULT '',
  details_json TEXT   NOT NULL DEFAULT '{}',
  at_ms        BIGINT NOT NULL
);

-- Guests' photos, fetched once from the address the organiser gave
-- (guests[].photo_url) and served from Palabre's own origin like the logo
-- (api/guest_photos.cpp), one row per debate and address: a guest list
-- reordered or edited keeps the photos already fetched.
CREATE TABLE guest_photos (
  event_id     TEXT   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  source_url   TEXT   NOT NULL,
  content_type TEXT   NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  data_base64  TEXT   NOT NULL,
  sha256       TEXT   NOT NULL,
  fetched_ms   BIGINT NOT NULL,
  PRIMARY KEY (event_id, source_url)
);
