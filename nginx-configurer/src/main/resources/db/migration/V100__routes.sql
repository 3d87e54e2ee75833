-- One row per routed customer; the rendered nginx configuration always equals this table.
CREATE TABLE routes (
    customer_id            text PRIMARY KEY
                           CHECK (customer_id ~ '^[a-z][a-z0-9-]{1,61}[a-z0-9]$'),
    app_port               integer NOT NULL CHECK (app_port BETWEEN 1 AND 65535),
    database_port          integer NOT NULL CHECK (database_port BETWEEN 1 AND 65535),
    redis_port             integer NOT NULL CHECK (redis_port BETWEEN 1 AND 65535),
    -- The sealed credentials from DatabaseMigrated (ciphertext only), re-sent on resume.
    credentials_key_id     text,
    credentials_nonce      text,
    credentials_ciphertext text,
    suspended              boolean NOT NULL DEFAULT false,
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- The configuration nginx last confirmed serving: what a failed change rolls back to.
CREATE TABLE live_config (
    id         smallint PRIMARY KEY CHECK (id = 1),
    version    text NOT NULL,
    http_conf  text NOT NULL,
    locations  text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
