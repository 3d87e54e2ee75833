package dev.tenantplane.health;

import dev.tenantplane.common.naming.TenantNames;
import java.util.Optional;

/**
 * What is probed, in order of blame: a failing database explains a failing app, not the reverse.
 */
public enum Component {
  DATABASE("postgres"),
  REDIS("redis"),
  APP("app"),
  NGINX("nginx");

  private final String wireName;

  Component(String wireName) {
    this.wireName = wireName;
  }

  /** The name in events and metrics. */
  public String wireName() {
    return wireName;
  }

  /**
   * The customer's container to restart when this component stays down; nginx is the platform's.
   */
  public Optional<String> container(TenantNames names) {
    return switch (this) {
      case DATABASE -> Optional.of(names.databaseContainer());
      case REDIS -> Optional.of(names.redisContainer());
      case APP -> Optional.of(names.appContainer());
      case NGINX -> Optional.empty();
    };
  }
}
