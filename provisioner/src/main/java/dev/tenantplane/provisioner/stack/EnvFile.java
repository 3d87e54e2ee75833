package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.naming.TenantNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The values of a customer's {@code .env} file: what the app and worker get, the database owner's
 * credentials and the host ports. Containers and the compose file refer to these by name; the
 * secret ones ({@link #SECRET_VARIABLES}) reach the containers only as files of the customer's
 * folder (see {@link StackPlan.SecretFiles}), never through their environment.
 *
 * <p>{@code DB_USER} and {@code DB_PASSWORD} keep the seed guide's meaning, the owner {@code
 * customer_<id>} its troubleshooting logs in as; the app role, which the app and worker use, has
 * {@code DB_APP_USER} and {@code DB_APP_PASSWORD}, handed to them as their {@code DB_USER} and
 * {@code DB_PASSWORD}.
 */
public final class EnvFile {
  public static final String DB_USER = "DB_USER";
  public static final String DB_PASSWORD = "DB_PASSWORD";
  public static final String DB_APP_USER = "DB_APP_USER";
  public static final String DB_APP_PASSWORD = "DB_APP_PASSWORD";
  public static final String DB_NAME = "DB_NAME";
  public static final String REDIS_PASSWORD = "REDIS_PASSWORD";
  public static final String JWT_SECRET = "JWT_SECRET";
  public static final String ENCRYPTION_KEY = "ENCRYPTION_KEY";

  /** The variables whose values are secrets; each is also a secret file of the same name. */
  public static final List<String> SECRET_VARIABLES =
      List.of(DB_PASSWORD, DB_APP_PASSWORD, REDIS_PASSWORD, JWT_SECRET, ENCRYPTION_KEY);

  /**
   * What the app and worker containers receive from the file in their environment, as container
   * variable → file variable (TENANT_ROLE is set per role).
   */
  public static final Map<String, String> TENANT_APP_VARIABLES = tenantAppVariables();

  /**
   * The secrets the app and worker containers receive as files, as the variable each replaces → the
   * secret file (the file variable) holding its value.
   */
  public static final Map<String, String> TENANT_APP_SECRETS = tenantAppSecrets();

  private static Map<String, String> tenantAppVariables() {
    Map<String, String> v = new LinkedHashMap<>();
    for (String same :
        List.of(
            "CUSTOMER_ID",
            "CUSTOMER_NAME",
            "NODE_ENV",
            "TENANT_HTTP_HOST",
            "PORT",
            "DB_HOST",
            "DB_PORT",
            DB_NAME)) {
      v.put(same, same);
    }
    v.put(DB_USER, DB_APP_USER);
    v.put("REDIS_HOST", "REDIS_HOST");
    v.put("REDIS_PORT", "REDIS_PORT");
    return Collections.unmodifiableMap(v);
  }

  private static Map<String, String> tenantAppSecrets() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put(DB_PASSWORD, DB_APP_PASSWORD);
    v.put(REDIS_PASSWORD, REDIS_PASSWORD);
    v.put(JWT_SECRET, JWT_SECRET);
    v.put(ENCRYPTION_KEY, ENCRYPTION_KEY);
    return Collections.unmodifiableMap(v);
  }

  /** Values written without quotes; anything else is single-quoted. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@+-]*");

  private final Map<String, String> values;
  private final List<String> secretValues;

  private EnvFile(Map<String, String> values, List<String> secretValues) {
    this.values = Collections.unmodifiableMap(values);
    this.secretValues = secretValues;
  }

  public static EnvFile of(StackPlan stack, TenantSecrets secrets) {
    TenantNames names = stack.names();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("CUSTOMER_ID", names.customerId());
    v.put("CUSTOMER_NAME", stack.customerName());
    v.put("NODE_ENV", "production");
    v.put("TENANT_HTTP_HOST", "0.0.0.0");
    v.put("PORT", String.valueOf(StackPlan.APP_PORT));
    v.put("DB_HOST", names.databaseContainer());
    v.put("DB_PORT", String.valueOf(StackPlan.DATABASE_PORT));
    v.put(DB_NAME, names.database());
    v.put(DB_USER, names.ownerRole());
    v.put(DB_PASSWORD, secrets.databaseOwnerPassword());
    v.put(DB_APP_USER, names.appRole());
    v.put(DB_APP_PASSWORD, secrets.appDatabasePassword());
    v.put("REDIS_HOST", names.redisContainer());
    v.put("REDIS_PORT", String.valueOf(StackPlan.REDIS_PORT));
    v.put(REDIS_PASSWORD, secrets.redisPassword());
    v.put(JWT_SECRET, secrets.jwtSecret());
    v.put(ENCRYPTION_KEY, secrets.encryptionKey());
    v.put("APP_HOST_PORT", String.valueOf(stack.ports().app()));
    v.put("DB_HOST_PORT", String.valueOf(stack.ports().database()));
    v.put("REDIS_HOST_PORT", String.valueOf(stack.ports().redis()));
    return new EnvFile(v, secretValuesOf(secrets));
  }

  /** The secret values, so that diagnostics can scrub them from container logs. */
  public static List<String> secretValuesOf(TenantSecrets secrets) {
    return List.of(
        secrets.databaseOwnerPassword(),
        secrets.appDatabasePassword(),
        secrets.redisPassword(),
        secrets.jwtSecret(),
        secrets.encryptionKey());
  }

  public String get(String variable) {
    String value = values.get(variable);
    if (value == null) {
      throw new IllegalArgumentException("no variable " + variable + " in the .env file");
    }
    return value;
  }

  public List<String> secretValues() {
    return secretValues;
  }

  /** The container's environment as {@code NAME=value} entries, for the Docker API. */
  public List<String> environmentOf(ContainerPlan container) {
    return resolvedEnvironment(container).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
  }

  /** The container's environment, variable to value. */
  public Map<String, String> resolvedEnvironment(ContainerPlan container) {
    Map<String, String> env = new LinkedHashMap<>(container.fixedEnvironment());
    container.environmentFromEnvFile().forEach((name, variable) -> env.put(name, get(variable)));
    return env;
  }

  /**
   * The file's text. Values that are not plain are single-quoted (with {@code \} and {@code '}
   * escaped), which docker-compose reads literally: a customer name with {@code $} or {@code #}
   * stays as it is.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Generated by the Tenantplane provisioner. Holds secrets: keep it mode 0600.\n");
    values.forEach((name, value) -> out.append(name).append('=').append(quote(value)).append('\n'));
    return out.toString();
  }

  static String quote(String value) {
    if (PLAIN.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
