-- Every record that reached the dead-letter topic: a step's input that failed for good, or a
-- record no consumer could read. Stored once per dead-letter topic position.
CREATE TABLE dead_letter (
    id               BIGSERIAL PRIMARY KEY,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    dlq_partition    INTEGER     NOT NULL,
    dlq_offset       BIGINT      NOT NULL,
    -- The record's key (a customer id), its CloudEvents type and id, as far as it had them.
    customer_id      TEXT,
    event_type       TEXT,
    event_id         TEXT,
    -- Who gave up on it (a consumer group), at which step, why; origin for an unreadable record.
    consumer         TEXT,
    step             TEXT,
    reason           TEXT,
    origin           TEXT,
    -- The record itself, for a replay. Credentials in it are sealed, as on the bus.
    headers          JSONB       NOT NULL,
    payload          BYTEA,
    replayed_at      TIMESTAMPTZ,
    replayed_by      TEXT,
    replay_event_id  UUID,
    UNIQUE (dlq_partition, dlq_offset)
);
CREATE INDEX dead_letter_customer ON dead_letter (customer_id, id);
