-- Fleet migrations in progress and done. A FleetMigrationRequested becomes a run (keyed by the
-- request's event id, so a redelivered request finds its run) with one row per customer that was
-- active when it was requested; the fleet worker migrates those rows a bounded number at a time,
-- outside the Kafka consumer, and the last finished row completes the run.
CREATE TABLE fleet_runs (
    run_id          UUID        PRIMARY KEY,
    correlation_id  UUID        NOT NULL,
    max_concurrency INTEGER     NOT NULL CHECK (max_concurrency >= 1),
    requested_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ
);
CREATE INDEX fleet_runs_open ON fleet_runs (requested_at) WHERE completed_at IS NULL;

-- outcome NULL: not finished. claimed_at: a worker is migrating it since then; a claim older than
-- the claim timeout belongs to a worker that died and is taken over.
CREATE TABLE fleet_run_customers (
    run_id          UUID        NOT NULL REFERENCES fleet_runs (run_id) ON DELETE CASCADE,
    customer_id     TEXT        NOT NULL,
    outcome         TEXT        CHECK (outcome IN ('MIGRATED', 'ALREADY_CURRENT', 'FAILED')),
    schema_version  TEXT,
    reason          TEXT,
    detail          TEXT,
    claimed_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    PRIMARY KEY (run_id, customer_id),
    CHECK ((outcome IS NULL) = (finished_at IS NULL)),
    CHECK (outcome <> 'FAILED' OR reason IS NOT NULL)
);
CREATE INDEX fleet_run_customers_pending ON fleet_run_customers (run_id) WHERE outcome IS NULL;
