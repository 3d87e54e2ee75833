package dev.tenantplane.health;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.naming.TenantNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes one customer's stack the way its users reach it: the app's {@code /api/health} directly
 * and through nginx, PostgreSQL as the app role ({@code SELECT 1}), Redis with {@code AUTH} and
 * {@code PING}. The worker has no port to probe: it is judged from what the app's own answer says
 * of its heartbeat, which also carries the job queue. Blocking; each probe bounded by the probe
 * timeout.
 */
@ApplicationScoped
public class StackProber {
  private final HealthSettings settings;
  private final Vertx vertx;
  private final MeterRegistry metrics;
  private final HttpClient http;

  public StackProber(HealthSettings settings, Vertx vertx, MeterRegistry metrics) {
    this.settings = settings;
    this.vertx = vertx;
    this.metrics = metrics;
    // HTTP/1.1: a cleartext HTTP/2 upgrade through nginx would be tunnelled to the app and stall.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.probeTimeout())
            .build();
  }

  /** The target of one round: where the stack is and how to log in. */
  public record Target(
      String customerId,
      String routePath,
      int appPort,
      int dbPort,
      int redisPort,
      TenantSecrets secrets) {}

  public ProbeReport probe(Target target) {
    Map<Component, String> failures = new EnumMap<>(Component.class);
    Set<Component> timedOut = EnumSet.noneOf(Component.class);
    String host = settings.tenantHost();
    AtomicReference<AppHealthBody> app = new AtomicReference<>(AppHealthBody.UNREPORTED);
    check(
        failures,
        timedOut,
        Component.APP,
        () -> appHealth("http://" + host + ":" + target.appPort() + "/api/health", app));
    check(
        failures,
        timedOut,
        Component.NGINX,
        () -> httpOk(settings.nginxUrl() + target.routePath() + "api/health"));
    check(failures, timedOut, Component.DATABASE, () -> database(target));
    check(failures, timedOut, Component.REDIS, () -> redis(target));
    app.get().workerError().ifPresent(error -> failures.put(Component.WORKER, error));
    return new ProbeReport(failures, timedOut, app.get().queue());
  }

  private void check(
      Map<Component, String> failures,
      Set<Component> timedOut,
      Component component,
      Callable<String> probe) {
    Timer.Sample sample = Timer.start(metrics);
    long started = System.nanoTime();
    String error;
    boolean late = false;
    try {
      error = probe.call();
    } catch (Exception e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      late = isTimeout(e);
    }
    sample.stop(metrics.timer("tenantplane.probe.latency", "component", component.wireName()));
    if (error != null) {
      failures.put(component, error);
      // Not every client says so in its exception (the PostgreSQL driver's login timeout does not),
      // so a failure that took the whole timeout counts as one too.
      if (late
          || Duration.ofNanos(System.nanoTime() - started).compareTo(settings.probeTimeout())
              >= 0) {
        timedOut.add(component);
      }
    }
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException
          || cause instanceof HttpTimeoutException
          || cause instanceof TimeoutException
          || cause instanceof io.smallrye.mutiny.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private String httpOk(String url) throws Exception {
    HttpResponse<Void> response = get(url, HttpResponse.BodyHandlers.discarding());
    return response.statusCode() == 200 ? null : "HTTP " + response.statusCode() + " from " + url;
  }

  /**
   * The app's own answer, whose body tells of its worker and queue. Only a 200's body is read: an
   * app that fails is blamed before its worker anyway.
   */
  private String appHealth(String url, AtomicReference<AppHealthBody> body) throws Exception {
    HttpResponse<String> response = get(url, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return "HTTP " + response.statusCode() + " from " + url;
    }
    body.set(AppHealthBody.parse(response.body()));
    return null;
  }

  private <T> HttpResponse<T> get(String url, HttpResponse.BodyHandler<T> body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(settings.probeTimeout()).GET().build();
    return http.send(request, body);
  }

  private String database(Target target) throws Exception {
    TenantNames names = new TenantNames(target.customerId());
    Properties props = new Properties();
    props.setProperty("user", names.appRole());
    props.setProperty("password", target.secrets().appDatabasePassword());
    String seconds = String.valueOf(Math.max(1, settings.probeTimeout().toSeconds()));
    props.setProperty("connectTimeout", seconds);
    props.setProperty("socketTimeout", seconds);
    props.setProperty("loginTimeout", seconds);
    String url =
        "jdbc:postgresql://"
            + settings.tenantHost()
            + ":"
            + target.dbPort()
            + "/"
            + names.database();
    try (Connection connection = DriverManager.getConnection(url, props);
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
      return null;
    }
  }

  private String redis(Target target) {
    RedisOptions options =
        new RedisOptions()
            .setConnectionString("redis://" + settings.tenantHost() + ":" + target.redisPort())
            .setPassword(target.secrets().redisPassword());
    Redis client = Redis.createClient(vertx, options);
    try {
      Response pong =
          client
              .connect()
              .chain(
                  connection ->
                      connection.send(Request.cmd(Command.PING)).eventually(connection::close))
              .await()
              .atMost(settings.probeTimeout());
      return "PONG".equals(pong.toString()) ? null : "unexpected answer to PING";
    } finally {
      client.close();
    }
  }
}
