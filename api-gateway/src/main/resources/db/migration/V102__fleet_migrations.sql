-- Fleet migrations as the API shows them: one row per request, keyed by the id of its
-- FleetMigrationRequested event, and each customer's outcome once the migrator reports the run.
CREATE TABLE fleet_migration (
    id               UUID PRIMARY KEY,
    -- Null for a run reported by the migrator that was requested before this table existed.
    requested_at     TIMESTAMPTZ,
    requested_by     TEXT,
    max_concurrency  INTEGER,
    -- Null while the run goes on.
    completed_at     TIMESTAMPTZ,
    schema_version   TEXT
);
CREATE INDEX fleet_migration_newest ON fleet_migration (coalesce(requested_at, completed_at) DESC);

CREATE TABLE fleet_migration_outcome (
    migration_id     UUID NOT NULL REFERENCES fleet_migration (id),
    customer_id      TEXT NOT NULL,
    -- MIGRATED, ALREADY_CURRENT or FAILED (FleetMigrationCompleted.Outcome).
    outcome          TEXT NOT NULL,
    schema_version   TEXT,
    reason           TEXT,
    PRIMARY KEY (migration_id, customer_id)
);

-- The audit API reads newest first, filtered by actor, customer or action.
CREATE INDEX audit_newest ON audit (at DESC, id DESC);
