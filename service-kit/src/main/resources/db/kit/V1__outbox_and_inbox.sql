-- Shared by every service, created in the service's own schema. Service migrations start at V100.

-- Events waiting to be published. A row is written in the same transaction as the state change
-- that produced it; the relay publishes it and stamps sent_at.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    topic        TEXT        NOT NULL,
    message_key  TEXT,
    headers      TEXT        NOT NULL, -- JSON object of header name to value
    payload      BYTEA       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_at   TIMESTAMPTZ,
    sent_at      TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Events already handled, per consumer: a redelivered event finds its row and changes nothing.
CREATE TABLE inbox (
    consumer     TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    customer_id  TEXT        NOT NULL,
    outcome      TEXT        NOT NULL,
    handled_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
