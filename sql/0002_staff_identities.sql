-- Staff identities: invites and admin API tokens get a public id, a last
-- use and a revocation, so that they can be listed and withdrawn one by one
-- (docs/API.md "Invites", palabre-admin tokens / revoke-token).
--
-- Same portability rules as 0001: times are Unix milliseconds in BIGINT
-- (NULL: never), booleans INTEGER 0/1 with a CHECK.
--
-- Rows created before this migration get an id derived from their hash
-- (the hash is of a 256-bit random token, so its first 12 hex digits are as
-- unique as a new id, and reveal nothing usable).

ALTER TABLE invites ADD COLUMN id TEXT;
ALTER TABLE invites ADD COLUMN last_used_ms BIGINT;
ALTER TABLE invites ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1));
ALTER TABLE invites ADD COLUMN revoked_ms BIGINT;
-- NULL: the invite expires with its debate's late-question window (computed
-- when it is used, so that extending the debate extends its invites).
ALTER TABLE invites ADD COLUMN expires_ms BIGINT;
UPDATE invites SET id = 'inv_' || substr(token_hash, 1, 12) WHERE id IS NULL;
CREATE UNIQUE INDEX invites_id ON invites (id);

ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_ms BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1));
ALTER TABLE api_tokens ADD COLUMN revoked_ms BIGINT;
UPDATE api_tokens SET id = 'tok_' || substr(token_hash, 1, 12) WHERE id IS NULL;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);
