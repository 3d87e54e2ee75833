package dev.tenantplane.health;

import dev.tenantplane.common.naming.TenantNames;
import java.util.Optional;

/**
 * What is probed, in order of blame: a failing database explains a failing app, not the reverse.
 * The worker is judged from what the app reports of it, so an app that does not answer says nothing
 * of its worker and is blamed first.
 */
public enum Component {
  DATABASE("postgres"),
  REDIS("redis"),
  APP("app"),
  WORKER("worker"),
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
      case WORKER -> Optional.of(names.workerContainer());
      case NGINX -> Optional.empty();
    };
  }
}
