package dev.tenantplane.migrator.tenant;

import dev.tenantplane.common.crypto.EnvelopeSealer;
import dev.tenantplane.common.crypto.SealedEnvelopeException;
import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.SealedEnvelope;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.migrator.MigratorSettings;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns what an event or the registry says about a customer into a database to migrate. */
@ApplicationScoped
public class TenantDatabases {
  private final EnvelopeSealer sealer;
  private final MigratorSettings settings;

  public TenantDatabases(EnvelopeSealer sealer, MigratorSettings settings) {
    this.sealer = sealer;
    this.settings = settings;
  }

  /** A database with the secrets it was opened with. */
  public record Target(TenantDatabase database, TenantSecrets secrets) {}

  /**
   * @throws StepException (not retryable) for an invalid id, port or envelope: another attempt with
   *     the same event cannot succeed
   */
  public Target target(String customerId, int dbPort, SealedEnvelope credentials)
      throws StepException {
    try {
      TenantNames names = new TenantNames(customerId);
      TenantSecrets secrets = TenantSecrets.open(customerId, credentials, sealer);
      return new Target(
          new TenantDatabase(names, settings.tenantHost(), dbPort, secrets.databaseOwnerPassword()),
          secrets);
    } catch (SealedEnvelopeException | IllegalArgumentException e) {
      throw new StepException(
          "cannot address the database of " + customerId + ": " + e.getMessage(),
          false,
          e.getClass().getSimpleName());
    }
  }
}
