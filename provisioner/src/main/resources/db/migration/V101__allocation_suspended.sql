-- When the customer's stack was suspended, or NULL while it runs. Written in the same
-- transaction as CustomerSuspended / CustomerResumed, so a restart request can be refused for a
-- stack an operator stopped on purpose.
ALTER TABLE allocation ADD COLUMN suspended_at TIMESTAMPTZ;
