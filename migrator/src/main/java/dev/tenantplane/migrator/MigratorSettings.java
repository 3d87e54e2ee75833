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
}
