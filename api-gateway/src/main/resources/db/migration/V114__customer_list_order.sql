-- The customer list (GET /api/v1/customers, the console's fleet page) is served oldest first,
-- a page at a time (ORDER BY created_at, id LIMIT size OFFSET page * size). Without an index in
-- that order every page sorted the whole table; with it a page reads its offset and size in
-- order and stops, so the first pages cost the same whatever the fleet's size. A status filter
-- that keeps most customers reads it too; one that keeps few still uses customer_status.
CREATE INDEX customer_oldest_first ON customer (created_at, id);
