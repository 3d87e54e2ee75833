-- Customers whose routes were withdrawn because their deprovisioning began. An id is never reused
-- after a deprovision, so the withdrawal is final: a late DatabaseMigrated or CustomerResumed for
-- one of these ids changes no route and publishes nothing.
CREATE TABLE withdrawn_customers (
    customer_id  text PRIMARY KEY
                 CHECK (customer_id ~ '^[a-z][a-z0-9-]{1,61}[a-z0-9]$'),
    withdrawn_at timestamptz NOT NULL DEFAULT now()
);
