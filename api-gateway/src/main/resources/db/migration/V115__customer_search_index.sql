-- The customer list's search (GET /api/v1/customers?q=, the console's fleet page) keeps the
-- customers whose id or name contains the text, ignoring case: lower(id) LIKE '%text%' OR
-- lower(name) LIKE '%text%'. A B-tree cannot serve a match in the middle of a value, so every
-- search read the whole table. Trigram indexes can: the customers holding every three-character
-- run of the text are found in the index and only those are read and checked. pg_trgm ships with
-- PostgreSQL (the control-plane image's Debian package includes it) and is trusted since 13, so
-- the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customer_id_trigrams ON customer USING gin (lower(id) gin_trgm_ops);
CREATE INDEX customer_name_trigrams ON customer USING gin (lower(name) gin_trgm_ops);
