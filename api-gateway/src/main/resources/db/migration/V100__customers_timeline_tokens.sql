-- The gateway's projection of the customer lifecycle, its audit trail and its API tokens.

-- One row per customer: the status machine's current position and what the API shows.
CREATE TABLE customer (
    id               TEXT PRIMARY KEY,
    name             TEXT        NOT NULL,
    plan             TEXT        NOT NULL,
    requested_port   INTEGER,
    status           TEXT        NOT NULL,
    -- Position of the event that set the status within its run; see StatusMachine.
    status_rank      INTEGER     NOT NULL,
    status_time      TIMESTAMPTZ NOT NULL,
    status_run       UUID        NOT NULL,
    failed_step      TEXT,
    failed_event_id  UUID,
    app_port         INTEGER,
    database_port    INTEGER,
    redis_port       INTEGER,
    health           TEXT,
    health_component TEXT,
    health_error     TEXT,
    health_time      TIMESTAMPTZ,
    last_error_step    TEXT,
    last_error_reason  TEXT,
    last_error_attempt INTEGER,
    last_error_time    TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customer_status ON customer (status, id);

-- Every lifecycle event seen for a customer, in arrival order (seq); the SSE feed follows seq.
CREATE TABLE timeline (
    seq          BIGSERIAL PRIMARY KEY,
    customer_id  TEXT        NOT NULL,
    event_id     UUID        NOT NULL UNIQUE,
    event_type   TEXT        NOT NULL,
    step         TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempt      INTEGER,
    retryable    BOOLEAN,
    reason       TEXT
);
CREATE INDEX timeline_customer ON timeline (customer_id, seq);

-- The last input event of each step, so a failed step can be retried with a copy of it.
-- Events never carry plaintext secrets (credentials travel sealed), so neither does this table.
CREATE TABLE step_input (
    customer_id  TEXT        NOT NULL,
    step         TEXT        NOT NULL,
    wire_type    TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, step)
);

-- Who asked for what through the API.
CREATE TABLE audit (
    id           BIGSERIAL PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor        TEXT        NOT NULL,
    action       TEXT        NOT NULL,
    customer_id  TEXT,
    event_id     UUID,
    detail       TEXT
);

-- Bearer tokens, stored as SHA-256 hex of the token; the token itself is shown once.
CREATE TABLE api_token (
    name         TEXT PRIMARY KEY,
    role         TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);
