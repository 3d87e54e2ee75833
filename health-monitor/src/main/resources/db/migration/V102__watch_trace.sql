-- The traceparent of the step that started the watch: the READY a later probe finds is a span of
-- the same trace, so one provisioning reads as one trace from the API request to READY.
ALTER TABLE watched_customers ADD COLUMN trace_parent TEXT;
