-- The customer list's search (GET /api/v1/customers?q=, the console's fleet page) keeps the
-- customers whose id or name contains the text, ignoring case: lower(id) LIKE '%text%' OR
-- lower(name) LIKE '%text%'. A B-tree cannot serve a match in the middle of a value, so every
-- search read the whole table. Trigram indexes can: the customers holding every three-character
-- run of the text are found in the index and only those are read and checked. pg_trgm ships with
-- PostgreSQL (the control-plane image's Debian package includes it) and is trusted since 13, so
-- the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The extension is made once per database, in the schema being migrated when it is first made;
-- another schema migrated later (an upgrade test's) need not have that one on its search path, so
-- the operator class is named with the extension's schema.
DO $$
DECLARE
    trigrams name := (SELECT n.nspname FROM pg_extension e
                      JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
BEGIN
    EXECUTE format('CREATE INDEX customer_id_trigrams ON customer USING gin (lower(id) %I.gin_trgm_ops)', trigrams);
    EXECUTE format('CREATE INDEX customer_name_trigrams ON customer USING gin (lower(name) %I.gin_trgm_ops)', trigrams);
END
$$;
