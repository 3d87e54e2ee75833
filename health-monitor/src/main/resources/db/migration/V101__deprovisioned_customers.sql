-- Customers whose deprovisioning has begun. Ids are never reused after a deprovision, so a row is
-- final: a RoutesPublished that arrives later (events race on different topics) starts no watch.
CREATE TABLE deprovisioned_customers (
    customer_id   TEXT PRIMARY KEY,
    requested_at  TIMESTAMPTZ NOT NULL
);
