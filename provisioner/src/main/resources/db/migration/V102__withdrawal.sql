-- Customers whose deprovisioning reached the provisioner. Written before anything is removed
-- and kept after the allocation row is deleted: a late or redelivered CustomerRequested or
-- ResourcesAllocated for a withdrawn id allocates and starts nothing (ids are never reused).
CREATE TABLE withdrawal (
    customer_id   TEXT        PRIMARY KEY,
    withdrawn_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
