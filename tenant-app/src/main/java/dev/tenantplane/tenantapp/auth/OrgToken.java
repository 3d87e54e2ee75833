package dev.tenantplane.tenantapp.auth;

import java.util.UUID;

/** A verified token: the organization the caller acts for. */
public record OrgToken(UUID organizationId, String subject) {}
