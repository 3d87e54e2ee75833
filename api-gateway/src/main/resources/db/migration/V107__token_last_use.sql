-- When each token last authenticated a request (to the minute: a token in use is written at most
-- once a minute), so an operator can tell a forgotten token from one in use before revoking it.
ALTER TABLE api_token ADD COLUMN last_used_at TIMESTAMPTZ;
