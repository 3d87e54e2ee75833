-- Every new timeline row tells the gateway instances listening on 'tenantplane_timeline' whose
-- timeline changed (the payload is the customer id). PostgreSQL delivers it when the row's
-- transaction commits, so a live stream that reads on the signal sees the row; the streams read
-- the table only when told, instead of polling it.
CREATE FUNCTION notify_timeline() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tenantplane_timeline', NEW.customer_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER timeline_notify AFTER INSERT ON timeline
    FOR EACH ROW EXECUTE FUNCTION notify_timeline();
