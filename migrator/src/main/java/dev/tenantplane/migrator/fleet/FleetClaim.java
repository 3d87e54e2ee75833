package dev.tenantplane.migrator.fleet;

import dev.tenantplane.common.events.SealedEnvelope;
import java.util.UUID;

/**
 * One customer of a fleet run that this instance is migrating, with the generation of the life the
 * run took it from and where its database is.
 */
public record FleetClaim(
    UUID runId, String customerId, int generation, int dbPort, SealedEnvelope credentials) {}
