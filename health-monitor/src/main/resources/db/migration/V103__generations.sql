-- Customer ids can be used again: after a purge, or when an archived customer is brought back, the
-- id lives again in a later generation (EventMeta.generation). A deprovision ends only the
-- generations up to the one it recorded; a RoutesPublished of a later generation is watched.
ALTER TABLE deprovisioned_customers
    ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);
-- The generation of the event that started the watch; the events the watch emits carry it.
ALTER TABLE watched_customers
    ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);
