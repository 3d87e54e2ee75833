-- Tokens expire (the bootstrap admin token, whose value lives in its file, does not), and each
-- records the token that made it.
ALTER TABLE api_token ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_token ADD COLUMN created_by TEXT;
