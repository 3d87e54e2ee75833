package dev.tenantplane.gateway.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whose timeline changed, as PostgreSQL tells this instance ({@code LISTEN tenantplane_timeline},
 * sent by the timeline's insert trigger on commit, whichever instance projected the event). The
 * live streams compare marks instead of reading the table on every turn, so an idle stream costs no
 * query. While the subscription is down the streams read on every turn, as they would without it;
 * when it is back every mark moves, so each stream reads what it may have missed.
 */
@ApplicationScoped
public class TimelineSignals {
  static final String CHANNEL = "tenantplane_timeline";

  private static final Logger LOG = Logger.getLogger(TimelineSignals.class);

  /** Between attempts to connect the subscription, also after it was lost. */
  private static final long RECONNECT_MILLIS = 1000;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final Map<String, AtomicLong> changes = new ConcurrentHashMap<>();
  private final AtomicLong anyChange = new AtomicLong();
  private final AtomicLong subscriptions = new AtomicLong();
  private volatile PgSubscriber subscriber;

  public TimelineSignals(
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") String password) {
    this.vertx = vertx;
    this.options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
  }

  void start(@Observes StartupEvent started) {
    subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(tries -> RECONNECT_MILLIS);
    subscriber
        .channel(CHANNEL)
        .subscribeHandler(
            ignored -> {
              subscriptions.incrementAndGet();
              LOG.infof("event=timeline-signals-listening channel=%s", CHANNEL);
            })
        .handler(this::changed);
    connect();
  }

  void stop(@Observes ShutdownEvent stopping) {
    PgSubscriber current = subscriber;
    if (current != null) {
      current.close();
    }
  }

  /** A first connection that fails is tried again; the policy covers the ones lost later. */
  private void connect() {
    subscriber
        .connect()
        .onFailure(
            error -> {
              LOG.warnf("event=timeline-signals-unavailable error=%s", error.getMessage());
              if (!subscriber.closed()) {
                vertx.setTimer(RECONNECT_MILLIS, ignored -> connect());
              }
            });
  }

  private void changed(String customerId) {
    changes.computeIfAbsent(customerId, id -> new AtomicLong()).incrementAndGet();
    anyChange.incrementAndGet();
  }

  /** Whether signals arrive now; when not, a stream reads on every turn. */
  public boolean listening() {
    PgSubscriber current = subscriber;
    return current != null && current.actualConnection() != null;
  }

  /** Moves whenever the customer's timeline changed or the subscription was made again. */
  public long mark(String customerId) {
    AtomicLong count = changes.get(customerId);
    return subscriptions.get() + (count == null ? 0 : count.get());
  }

  /** Moves whenever any timeline changed or the subscription was made again. */
  public long fleetMark() {
    return subscriptions.get() + anyChange.get();
  }
}
