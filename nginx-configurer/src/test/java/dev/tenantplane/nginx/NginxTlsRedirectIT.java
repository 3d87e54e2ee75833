package dev.tenantplane.nginx;

import static dev.tenantplane.nginx.RouteEvents.id;
import static dev.tenantplane.nginx.RouteEvents.migrated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@code tls.redirect-http}, plain HTTP to a route is sent to its HTTPS address. */
@QuarkusTest
@TestProfile(NginxTlsRedirectIT.RedirectHttp.class)
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class NginxTlsRedirectIT {
  public static class RedirectHttp implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tenantplane.nginx.tls.redirect-http", "true");
    }
  }

  @Inject NginxSettings settings;

  @ConfigProperty(name = NginxTestResource.CERTIFICATE_PEM_PROPERTY)
  String certificatePem;

  private RouteBus bus;
  private Upstreams upstreams;

  @BeforeEach
  void open() {
    bus = new RouteBus();
    upstreams = new Upstreams();
  }

  @AfterEach
  void close() {
    bus.close();
    upstreams.close();
  }

  @Test
  void plainHttpToARouteIsRedirectedToItsHttpsAddressWhichReachesTheApp() {
    String id = id("redirected");
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    // Published only once the reload was confirmed through the version probe on plain HTTP.
    bus.awaitPublished(migrated);
    String tlsPort = settings.tls().listen().substring(settings.tls().listen().lastIndexOf(':'));
    NginxClient http = new NginxClient(settings.listen());
    NginxClient https = NginxClient.overTls(settings.tls().listen(), certificatePem);

    NginxClient.Response bySubdomain = http.get(id + ".localhost", "/api/health?x=1");
    assertThat(bySubdomain.status()).isEqualTo(308);
    assertThat(bySubdomain.header("Location"))
        .isEqualTo("https://" + id + ".localhost" + tlsPort + "/api/health?x=1");
    assertThat(bySubdomain.body()).doesNotContain("upstream-" + id);
    NginxClient.Response byPath = http.get("localhost", "/" + id + "/api/health");
    assertThat(byPath.status()).isEqualTo(308);
    assertThat(byPath.header("Location"))
        .isEqualTo("https://localhost" + tlsPort + "/" + id + "/api/health");

    assertThat(https.get(id + ".localhost", "/api/health?x=1").body())
        .startsWith("upstream-" + id + " path=/api/health")
        .endsWith("forwarded-proto=https");
    assertThat(https.get("localhost", "/" + id + "/api/health").body())
        .startsWith("upstream-" + id + " path=/api/health");
  }
}
