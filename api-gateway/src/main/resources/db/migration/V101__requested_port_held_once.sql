-- A port a customer asked for is held by that customer until the provisioner has given it its
-- ports (then app_port holds it) or it is deprovisioned. The API checks this before the insert;
-- this index makes the database the judge when two requests for the same port race past that
-- check together: the second insert finds the first's entry and writes nothing.
CREATE UNIQUE INDEX customer_requested_port_held ON customer (requested_port)
    WHERE requested_port IS NOT NULL AND app_port IS NULL AND status <> 'DEPROVISIONED';
