package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.stack.ContainerPlan.PortBinding;
import dev.tenantplane.provisioner.stack.ContainerPlan.VolumeMount;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a customer stack is made of: network, volumes and the four containers. The same object
 * drives Docker and renders {@code docker-compose.yml}, so the file describes exactly what runs.
 *
 * @param subnet of the customer's network, as recorded with its allocation
 * @param labels carried by the network, the volumes and every container
 */
public record StackPlan(
    TenantNames names,
    String customerName,
    Plan plan,
    PortAssignment ports,
    Subnet subnet,
    Map<String, String> labels,
    List<ContainerPlan> containers) {

  public static final String LOOPBACK = "127.0.0.1";
  public static final int APP_PORT = 3000;
  public static final int DATABASE_PORT = 5432;
  public static final int REDIS_PORT = 6379;

  private static final String PG_DATA = "/var/lib/postgresql/data";
  private static final String REDIS_DATA = "/data";

  /** Images of a stack. */
  public record Images(String postgres, String redis, String tenantApp) {}

  public String network() {
    return names.network();
  }

  public List<String> volumes() {
    return List.of(names.databaseVolume(), names.redisVolume());
  }

  public static StackPlan of(
      TenantNames names,
      String customerName,
      Plan plan,
      PortAssignment ports,
      Subnet subnet,
      Images images,
      Map<String, String> extraLabels) {
    Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(extraLabels));
    labels.put(TenantNames.CUSTOMER_LABEL, names.customerId());
    Map<String, String> stackLabels = Collections.unmodifiableMap(labels);

    ContainerPlan database =
        new ContainerPlan(
            names.databaseContainer(),
            "db",
            images.postgres(),
            Map.of(),
            ordered(
                "POSTGRES_USER", EnvFile.DB_USER,
                "POSTGRES_PASSWORD", EnvFile.DB_PASSWORD,
                "POSTGRES_DB", EnvFile.DB_NAME),
            Optional.of(new PortBinding(LOOPBACK, ports.database(), DATABASE_PORT)),
            Optional.of(new VolumeMount(names.databaseVolume(), PG_DATA)),
            plan.database(),
            Optional.of("pg_isready -q -h 127.0.0.1 -p " + DATABASE_PORT + " || exit 1"),
            List.of(),
            componentLabels(stackLabels, "db"));
    ContainerPlan redis =
        new ContainerPlan(
            names.redisContainer(),
            "redis",
            images.redis(),
            Map.of(),
            ordered("REDIS_PASSWORD", EnvFile.REDIS_PASSWORD),
            Optional.of(new PortBinding(LOOPBACK, ports.redis(), REDIS_PORT)),
            Optional.of(new VolumeMount(names.redisVolume(), REDIS_DATA)),
            plan.redis(),
            // REDISCLI_AUTH keeps the password off redis-cli's command line.
            Optional.of(
                "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli -p "
                    + REDIS_PORT
                    + " ping | grep -q PONG || exit 1"),
            List.of(),
            componentLabels(stackLabels, "redis"));
    ContainerPlan app =
        tenantApp(
            names.appContainer(),
            "app",
            images.tenantApp(),
            Optional.of(new PortBinding(LOOPBACK, ports.app(), APP_PORT)),
            plan.app(),
            Optional.of(
                "curl -fsS http://127.0.0.1:" + APP_PORT + "/api/health >/dev/null || exit 1"),
            List.of(database.name(), redis.name()),
            stackLabels);
    // The worker serves no route of its own; it keeps the image's health check.
    ContainerPlan worker =
        tenantApp(
            names.workerContainer(),
            "worker",
            images.tenantApp(),
            Optional.empty(),
            plan.worker(),
            Optional.empty(),
            List.of(database.name(), redis.name()),
            stackLabels);
    return new StackPlan(
        names,
        customerName,
        plan,
        ports,
        subnet,
        stackLabels,
        List.of(database, redis, app, worker));
  }

  private static ContainerPlan tenantApp(
      String name,
      String role,
      String image,
      Optional<PortBinding> port,
      Plan.Limits limits,
      Optional<String> healthCheck,
      List<String> dependsOn,
      Map<String, String> stackLabels) {
    return new ContainerPlan(
        name,
        role,
        image,
        Map.of("TENANT_ROLE", role),
        EnvFile.TENANT_APP_VARIABLES,
        port,
        Optional.empty(),
        limits,
        healthCheck,
        dependsOn,
        componentLabels(stackLabels, role));
  }

  private static Map<String, String> componentLabels(Map<String, String> stack, String component) {
    Map<String, String> labels = new LinkedHashMap<>(stack);
    labels.put("tenantplane.component", component);
    return Collections.unmodifiableMap(labels);
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
