package dev.tenantplane.migrator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Settings of the migrator ({@code tenantplane.migrator.*}); documented in the module README. */
@ConfigMapping(prefix = "tenantplane.migrator")
public interface MigratorSettings {
  /** Host through which tenant databases are reached (their ports are published there). */
  @WithDefault("127.0.0.1")
  String tenantHost();

  /** Flyway locations of the tenant schema. */
  @WithDefault("classpath:tenant-db")
  List<String> locations();

  /** How long one attempt waits for a tenant database that does not accept connections yet. */
  @WithDefault("30s")
  Duration connectTimeout();

  /** Upper bound on parallel migrations of a fleet run, whatever the request asks. */
  @WithDefault("8")
  int fleetConcurrencyLimit();

  /**
   * How often the fleet worker looks for customers of fleet runs to migrate ({@code off} disables
   * it). A string, as the scheduler reads it.
   */
  @WithDefault("1s")
  String fleetPollInterval();

  /**
   * When a fleet run's customer claimed by an instance that never finished it (it died) is taken
   * over; longer than one tenant migration can take.
   */
  @WithDefault("15m")
  Duration fleetClaimTimeout();
}
