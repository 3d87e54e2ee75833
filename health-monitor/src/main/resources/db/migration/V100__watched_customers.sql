-- When each provisioning run was requested, so CustomerReady can say how long it took.
CREATE TABLE request_times (
    correlation_id UUID PRIMARY KEY,
    customer_id    TEXT        NOT NULL,
    requested_at   TIMESTAMPTZ NOT NULL
);

-- Customers being watched, what was last reported for them, and who probes them.
CREATE TABLE watched_customers (
    customer_id            TEXT PRIMARY KEY,
    correlation_id         UUID        NOT NULL,
    last_event_id          UUID        NOT NULL,
    route_path             TEXT        NOT NULL,
    app_port               INTEGER     NOT NULL,
    db_port                INTEGER     NOT NULL,
    redis_port             INTEGER     NOT NULL,
    key_id                 TEXT        NOT NULL,
    nonce                  TEXT        NOT NULL,
    ciphertext             TEXT        NOT NULL,
    routed_at              TIMESTAMPTZ NOT NULL,
    active                 BOOLEAN     NOT NULL DEFAULT TRUE,
    ready_reported         BOOLEAN     NOT NULL DEFAULT FALSE,
    health                 TEXT,
    failing_component      TEXT,
    failing_since_rounds   INTEGER     NOT NULL DEFAULT 0,
    restart_window_start   TIMESTAMPTZ,
    restarts_in_window     INTEGER     NOT NULL DEFAULT 0,
    next_restart_at        TIMESTAMPTZ,
    version                BIGINT      NOT NULL DEFAULT 0,
    lease_owner            TEXT,
    lease_until            TIMESTAMPTZ
);
CREATE INDEX watched_active ON watched_customers (lease_until) WHERE active;
