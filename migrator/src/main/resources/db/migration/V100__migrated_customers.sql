-- Customers whose tenant database this service migrated, so a fleet migration knows where to go.
-- Credentials stay sealed (ciphertext only); they are opened with the platform key when needed.
CREATE TABLE migrated_customers (
    customer_id      TEXT        PRIMARY KEY,
    db_port          INTEGER     NOT NULL CHECK (db_port BETWEEN 1 AND 65535),
    envelope_key_id  TEXT        NOT NULL,
    envelope_nonce   TEXT        NOT NULL,
    envelope_cipher  TEXT        NOT NULL,
    schema_version   TEXT        NOT NULL,
    active           BOOLEAN     NOT NULL DEFAULT TRUE,
    migrated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
