-- A customer id can live more than once (provisioned again after a purge, or an archived customer
-- brought back), each life a generation (EventMeta.generation; 1 for the first, as every row
-- written before generations existed).

-- The life whose database the row describes: the generation of the ContainersStarted that
-- registered it. A suspend, resume or fleet result changes only the row of its own life.
ALTER TABLE migrated_customers
    ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);

-- The life a fleet run took the customer from, so the run's report addresses that life, and a
-- customer whose life ended (and perhaps began again) since the request is dropped from the run.
ALTER TABLE fleet_run_customers
    ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);

-- The last life of each customer that ended here (CustomerDeprovisioned or CustomerArchived): an
-- event of that generation or an earlier one arriving later is late and changes nothing, while
-- one of a later generation is a new life.
CREATE TABLE ended_customers (
    customer_id  TEXT        PRIMARY KEY,
    generation   INTEGER     NOT NULL CHECK (generation >= 1),
    ended_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
