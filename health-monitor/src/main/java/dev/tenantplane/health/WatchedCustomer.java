package dev.tenantplane.health;

import dev.tenantplane.common.events.Health;
import dev.tenantplane.common.events.SealedEnvelope;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A routed customer the monitor watches; the credentials stay sealed at rest. */
@Entity
@Table(name = "watched_customers")
public class WatchedCustomer extends PanacheEntityBase {
  @Id
  @Column(name = "customer_id")
  public String customerId;

  @Column(name = "correlation_id")
  public UUID correlationId;

  /**
   * The generation of the customer id whose RoutesPublished started the watch; the events the watch
   * emits carry it.
   */
  public int generation;

  /** The latest event about this customer; events the monitor emits name it as their cause. */
  @Column(name = "last_event_id")
  public UUID lastEventId;

  /** The customer's path route through nginx, e.g. {@code /acme-corp/}. */
  @Column(name = "route_path")
  public String routePath;

  @Column(name = "app_port")
  public int appPort;

  @Column(name = "db_port")
  public int dbPort;

  @Column(name = "redis_port")
  public int redisPort;

  @Column(name = "key_id")
  public String keyId;

  public String nonce;
  public String ciphertext;

  @Column(name = "routed_at")
  public Instant routedAt;

  public boolean active;

  @Column(name = "ready_reported")
  public boolean readyReported;

  @Enumerated(EnumType.STRING)
  public Health health;

  @Enumerated(EnumType.STRING)
  @Column(name = "failing_component")
  public Component failingComponent;

  @Column(name = "failing_since_rounds")
  public int failingRounds;

  @Column(name = "restart_window_start")
  public Instant restartWindowStart;

  @Column(name = "restarts_in_window")
  public int restartsInWindow;

  @Column(name = "next_restart_at")
  public Instant nextRestartAt;

  /** Guards against a round overwriting a concurrent unwatch (suspend, deprovision). */
  @Version public long version;

  /** The watch step's span ({@code traceparent}); READY is reported in its trace. */
  @Column(name = "trace_parent")
  public String traceParent;

  @Column(name = "lease_owner")
  public String leaseOwner;

  @Column(name = "lease_until")
  public Instant leaseUntil;

  /** The generation of the customer's watch, 0 when it is not watched. */
  public static Uni<Integer> generation(String customerId) {
    return WatchedCustomer.<WatchedCustomer>findById(customerId)
        .map(found -> found == null ? 0 : found.generation);
  }

  public SealedEnvelope credentials() {
    return new SealedEnvelope(keyId, nonce, ciphertext);
  }

  public WatchState state() {
    return new WatchState(
        readyReported,
        health,
        failingComponent,
        failingRounds,
        restartWindowStart,
        restartsInWindow,
        nextRestartAt);
  }

  public void state(WatchState state) {
    readyReported = state.readyReported();
    health = state.health();
    failingComponent = state.failingComponent();
    failingRounds = state.failingRounds();
    restartWindowStart = state.restartWindowStart();
    restartsInWindow = state.restartsInWindow();
    nextRestartAt = state.nextRestartAt();
  }
}
