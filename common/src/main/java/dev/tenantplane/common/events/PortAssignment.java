package dev.tenantplane.common.events;

/** The three host ports (all on 127.0.0.1) of one customer's stack. */
public record PortAssignment(int app, int database, int redis) {}
