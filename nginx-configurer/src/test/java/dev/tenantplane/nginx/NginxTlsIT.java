package dev.tenantplane.nginx;

import static dev.tenantplane.nginx.RouteEvents.id;
import static dev.tenantplane.nginx.RouteEvents.migrated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.security.cert.CertPathBuilderException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a certificate configured, every route answers over HTTPS: the client checks the chain
 * against that certificate alone and the host name against its names.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres"))
@QuarkusTestResource(NginxTestResource.class)
class NginxTlsIT {
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
  void aRouteAnswersOverHttpsBySubdomainAndByPathWithACheckedCertificate() {
    String id = id("secure");
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    bus.awaitPublished(migrated);
    NginxClient https = NginxClient.overTls(settings.tls().listen(), certificatePem);

    NginxClient.Response bySubdomain = https.get(id + ".localhost", "/api/health");
    assertThat(bySubdomain.status()).isEqualTo(200);
    assertThat(bySubdomain.body())
        .startsWith("upstream-" + id + " path=/api/health forwarded-host=" + id + ".localhost")
        .endsWith("forwarded-proto=https");
    NginxClient.Response byPath = https.get("localhost", "/" + id + "/api/health");
    assertThat(byPath.status()).isEqualTo(200);
    assertThat(byPath.body())
        .startsWith("upstream-" + id + " path=/api/health")
        .contains("forwarded-prefix=/" + id)
        .endsWith("forwarded-proto=https");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefusedTheConnection() {
    NginxClient untrusting = NginxClient.overTls(settings.tls().listen(), null);

    assertThatThrownBy(() -> untrusting.get("localhost", "/"))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseInstanceOf(CertPathBuilderException.class)
        .cause()
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aHostNameTheCertificateDoesNotNameIsRefusedTheConnection() {
    NginxClient https = NginxClient.overTls(settings.tls().listen(), certificatePem);

    assertThatThrownBy(() -> https.get("tenantplane.example", "/"))
        .isInstanceOf(UncheckedIOException.class)
        .cause()
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("tenantplane.example");
  }
}
