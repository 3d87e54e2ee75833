-- Every backup asked for, and what became of it. The id is the backup run's correlation id, which
-- BackupCompleted and the step's StepFailed carry too.
CREATE TABLE backup (
    id               UUID        PRIMARY KEY,
    customer_id      TEXT        NOT NULL,
    -- REQUESTED until BackupCompleted (COMPLETED) or a final StepFailed (FAILED).
    status           TEXT        NOT NULL,
    requested_at     TIMESTAMPTZ NOT NULL,
    -- The token that asked; null for a request that reached the bus another way.
    requested_by     TEXT,
    completed_at     TIMESTAMPTZ,
    database_path    TEXT,
    database_bytes   BIGINT,
    database_sha256  TEXT,
    redis_path       TEXT,
    redis_bytes      BIGINT,
    redis_sha256     TEXT,
    schema_version   TEXT,
    error            TEXT
);
CREATE INDEX backup_customer ON backup (customer_id, requested_at DESC);
