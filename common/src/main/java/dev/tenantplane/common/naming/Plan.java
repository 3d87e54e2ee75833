package dev.tenantplane.common.naming;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resource plans of a customer stack, defined once so the gateway validates against the same list
 * the provisioner applies. Memory in MiB, CPUs as a fraction of one core.
 */
public enum Plan {
  SMALL(new Limits(512, 1.0), new Limits(256, 0.5), new Limits(128, 0.25), new Limits(256, 0.5)),
  STANDARD(new Limits(1024, 1.0), new Limits(512, 1.0), new Limits(256, 0.5), new Limits(512, 0.5)),
  LARGE(new Limits(2048, 2.0), new Limits(1024, 2.0), new Limits(512, 1.0), new Limits(1024, 1.0));

  public static final Plan DEFAULT = STANDARD;

  /** Limits of one container; {@code pids} caps processes so a fork bomb stays contained. */
  public record Limits(int memoryMiB, double cpus, int pids) {
    Limits(int memoryMiB, double cpus) {
      this(memoryMiB, cpus, 512);
    }
  }

  private final Limits app;
  private final Limits database;
  private final Limits redis;
  private final Limits worker;

  Plan(Limits app, Limits database, Limits redis, Limits worker) {
    this.app = app;
    this.database = database;
    this.redis = redis;
    this.worker = worker;
  }

  public Limits app() {
    return app;
  }

  public Limits database() {
    return database;
  }

  public Limits redis() {
    return redis;
  }

  public Limits worker() {
    return worker;
  }

  /** The name on the wire and in the API, e.g. {@code standard}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The plan named {@code name} exactly (lower case), if there is one. */
  public static Optional<Plan> ofWireName(String name) {
    return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
  }

  /** The valid names, for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(Plan::wireName).collect(Collectors.joining(", "));
  }
}
