-- One row per customer holding ports and credentials. The row is the reservation: the unique
-- offset is what keeps two concurrent requests (on any number of provisioner instances) from
-- getting the same ports. Deleting the row returns the ports to the pool and destroys the
-- credentials.
CREATE TABLE allocation (
    customer_id             TEXT        PRIMARY KEY,
    name                    TEXT        NOT NULL,
    plan                    TEXT        NOT NULL,
    port_offset             INTEGER     NOT NULL UNIQUE CHECK (port_offset BETWEEN 1 AND 999),
    app_port                INTEGER     NOT NULL UNIQUE,
    database_port           INTEGER     NOT NULL UNIQUE,
    redis_port              INTEGER     NOT NULL UNIQUE,
    -- Credentials sealed with the platform key (AES-GCM, customer id as associated data);
    -- never stored in plain text.
    credentials_key_id      TEXT        NOT NULL,
    credentials_nonce       TEXT        NOT NULL,
    credentials_ciphertext  TEXT        NOT NULL,
    allocated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
