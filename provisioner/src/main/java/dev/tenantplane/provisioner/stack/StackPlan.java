package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.stack.ContainerPlan.PortBinding;
import dev.tenantplane.provisioner.stack.ContainerPlan.SecretMount;
import dev.tenantplane.provisioner.stack.ContainerPlan.VolumeMount;
import java.nio.file.Path;
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
 * @param secretFiles where the secret files the containers mount are, and their group
 * @param labels carried by the network, the volumes and every container
 */
public record StackPlan(
    TenantNames names,
    String customerName,
    Plan plan,
    PortAssignment ports,
    Subnet subnet,
    SecretFiles secretFiles,
    Map<String, String> labels,
    List<ContainerPlan> containers) {

  public static final String LOOPBACK = "127.0.0.1";
  public static final int APP_PORT = 3000;
  public static final int DATABASE_PORT = 5432;
  public static final int REDIS_PORT = 6379;

  private static final String PG_DATA = "/var/lib/postgresql/data";
  private static final String REDIS_DATA = "/data";
  private static final String REDIS_PASSWORD_FILE = ContainerPlan.SECRETS_DIR + "/REDIS_PASSWORD";

  /** Images of a stack. */
  public record Images(String postgres, String redis, String tenantApp) {}

  /**
   * The customer's secret files: one per secret variable of the {@code .env} file, named after it,
   * in {@code directory} (absolute, the same path for this service and the engine), mode 0440 and
   * owned by the provisioner's uid and {@code group}.
   *
   * <p>Why a group: the provisioner runs unprivileged and cannot give a file to the uid a tenant
   * image runs as (999 for PostgreSQL and Redis, 10001 for the app), and those uids cannot change
   * to the operator's without breaking the data volumes' ownership. Every container of the stack
   * therefore gets {@code group} as a supplementary group (Docker's {@code GroupAdd}, compose's
   * {@code group_add}): its user reads the files through the group bits, whatever its uid, and
   * nothing else in the container is owned by that group. Only the stack's own files are mounted
   * into it, so the group opens no other customer's secrets.
   */
  public record SecretFiles(Path directory, int group) {
    SecretMount mount(String envVariable, String name) {
      return new SecretMount(directory.resolve(envVariable), name);
    }
  }

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
      Map<String, String> extraLabels,
      SecretFiles secretFiles) {
    Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(extraLabels));
    labels.put(TenantNames.CUSTOMER_LABEL, names.customerId());
    Map<String, String> stackLabels = Collections.unmodifiableMap(labels);
    List<String> groups = List.of(String.valueOf(secretFiles.group()));

    ContainerPlan database =
        new ContainerPlan(
            names.databaseContainer(),
            "db",
            images.postgres(),
            Map.of("POSTGRES_PASSWORD_FILE", ContainerPlan.SECRETS_DIR + "/POSTGRES_PASSWORD"),
            ordered("POSTGRES_USER", EnvFile.DB_USER, "POSTGRES_DB", EnvFile.DB_NAME),
            List.of(secretFiles.mount(EnvFile.DB_PASSWORD, "POSTGRES_PASSWORD")),
            groups,
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
            Map.of("REDIS_PASSWORD_FILE", REDIS_PASSWORD_FILE),
            Map.of(),
            List.of(secretFiles.mount(EnvFile.REDIS_PASSWORD, EnvFile.REDIS_PASSWORD)),
            groups,
            Optional.of(new PortBinding(LOOPBACK, ports.redis(), REDIS_PORT)),
            Optional.of(new VolumeMount(names.redisVolume(), REDIS_DATA)),
            plan.redis(),
            // REDISCLI_AUTH keeps the password off redis-cli's command line.
            Optional.of(
                "REDISCLI_AUTH=\"$(cat "
                    + REDIS_PASSWORD_FILE
                    + ")\" redis-cli -p "
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
            secretFiles,
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
            secretFiles,
            stackLabels);
    return new StackPlan(
        names,
        customerName,
        plan,
        ports,
        subnet,
        secretFiles,
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
      SecretFiles secretFiles,
      Map<String, String> stackLabels) {
    // Named after the variables they replace: the app's configuration reads each file of
    // /run/secrets as the variable of its name (tenant-app's application.properties).
    List<SecretMount> secrets =
        EnvFile.TENANT_APP_SECRETS.entrySet().stream()
            .map(e -> secretFiles.mount(e.getValue(), e.getKey()))
            .toList();
    return new ContainerPlan(
        name,
        role,
        image,
        Map.of("TENANT_ROLE", role),
        EnvFile.TENANT_APP_VARIABLES,
        secrets,
        List.of(String.valueOf(secretFiles.group())),
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
