-- The organiser's logo, fetched once from branding.logo_url when an admin
-- sets it (api/logo.cpp) and served from Palabre's own origin
-- (GET /api/events/{id}/logo), so that no page makes a visitor's browser
-- call a third party (docs/PRIVACY.md).
--
-- The image is kept as base64 text: the same column type in SQLite and
-- PostgreSQL. At most 512 KiB before encoding.

CREATE TABLE event_logos (
  event_id     TEXT   PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  source_url   TEXT   NOT NULL,
  content_type TEXT   NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  data_base64  TEXT   NOT NULL,
  sha256       TEXT   NOT NULL,
  fetched_ms   BIGINT NOT NULL
);
