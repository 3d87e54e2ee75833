package dev.tenantplane.provisioner;

import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.network.SubnetConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Settings of the provisioner; each is documented with its default in the module README. */
@ConfigMapping(prefix = "tenantplane.provisioner")
public interface ProvisionerSettings {

  /** Folder holding one sub-folder per customer ({@code .env}, compose file, manifest, backups). */
  @WithDefault("customers")
  Path customersRoot();

  /** Host on which the platform reaches a tenant's published ports. */
  @WithDefault("127.0.0.1")
  String tenantHost();

  /** How long a start or resume waits for the tenant's PostgreSQL and Redis to answer. */
  @WithDefault("120s")
  Duration readinessTimeout();

  /**
   * How long a step waits for a customer's stack lock, held while another step builds the stack or
   * records its withdrawal.
   */
  @WithDefault("5m")
  Duration stackLockWait();

  /** Grace period of a container stop before the engine kills it. */
  @WithDefault("20s")
  Duration stopTimeout();

  /** How long a {@code pg_dump} backup may run. */
  @WithDefault("10m")
  Duration backupTimeout();

  /** Labels added to everything created for a customer, besides {@code tenantplane.customer}. */
  Map<String, String> extraLabels();

  Images images();

  Ports ports();

  Network network();

  /** Images of a customer stack. */
  interface Images {
    @WithDefault("tenantplane/postgres:15")
    String postgres();

    @WithDefault("tenantplane/redis:7")
    String redis();

    @WithDefault("tenantplane/tenant-app:0.1.0-SNAPSHOT")
    String tenantApp();
  }

  /** The range of port offsets handed out when a request names no port. */
  interface Ports {
    @WithDefault("1")
    int firstOffset();

    @WithDefault("999")
    int lastOffset();
  }

  /**
   * Where customer networks get their subnets. The default lies clear of the engine's own default
   * pools (172.17.0.0/12 and 192.168.0.0/16), whose few large blocks would otherwise run out after
   * about 30 customers.
   */
  interface Network {
    @WithDefault("10.213.0.0/16")
    @WithConverter(SubnetConverter.class)
    Subnet pool();

    /** Prefix length of each customer's subnet: a /28 holds the four containers and gateway. */
    @WithDefault("28")
    int subnetPrefix();
  }
}
