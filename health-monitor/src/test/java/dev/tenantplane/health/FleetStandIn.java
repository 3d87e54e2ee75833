package dev.tenantplane.health;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The stacks of a whole fleet, in this JVM, for a benchmark: one app, one PostgreSQL and one Redis
 * stand-in on 127.0.0.1 answer every customer's probes (the watch rows of all customers name the
 * same three ports), and the nginx stand-in answers every path route. What they saw goes to one
 * {@link ProbeLog}. The host can be taken down and brought back. A test gets it injected into a
 * field of its type.
 */
public class FleetStandIn implements QuarkusTestResourceLifecycleManager {
  private final ProbeLog log = new ProbeLog();
  private final NginxDouble nginx = new NginxDouble(log::routeProbed);
  private AppDouble app;
  private PostgresWireDouble postgres;
  private RedisWireDouble redis;

  @Override
  public Map<String, String> start() {
    app = new AppDouble();
    postgres = new PostgresWireDouble(log);
    redis = new RedisWireDouble(log);
    return nginx.start();
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(this, new TestInjector.MatchesType(FleetStandIn.class));
  }

  ProbeLog log() {
    return log;
  }

  int appPort() {
    return app.port();
  }

  int databasePort() {
    return postgres.port();
  }

  int redisPort() {
    return redis.port();
  }

  /** The customers' host goes down (connections reset, nginx answers 502) or comes back. */
  void hostDown(boolean down) {
    app.down(down);
    postgres.down(down);
    redis.down(down);
    nginx.upstreamDown(down);
  }

  @Override
  public void stop() {
    nginx.stop();
    app.close();
    postgres.close();
    redis.close();
  }
}
