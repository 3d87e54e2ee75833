-- Customer ids can be used again: after a purge, or when an archived customer is brought back, the
-- id lives again in a later generation (EventMeta.generation). A withdrawal ends only the
-- generations up to the one it recorded; an event of a later generation routes the id again.
ALTER TABLE withdrawn_customers
    ADD COLUMN generation integer NOT NULL DEFAULT 1 CHECK (generation >= 1);
-- The generation of the life that wrote the route: an event of an earlier one is late.
ALTER TABLE routes
    ADD COLUMN generation integer NOT NULL DEFAULT 1 CHECK (generation >= 1);
