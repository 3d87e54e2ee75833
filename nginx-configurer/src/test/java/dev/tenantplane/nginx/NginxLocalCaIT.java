package dev.tenantplane.nginx;

import static dev.tenantplane.nginx.NginxTestResource.LOCAL_CA_DOMAIN;
import static dev.tenantplane.nginx.RouteEvents.id;
import static dev.tenantplane.nginx.RouteEvents.migrated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.DatabaseMigrated;
import dev.tenantplane.common.testing.InfrastructureResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's HTTPS as an operator sets it up: the certificate is the one {@code tenantplane tls
 * init} signs with its local CA, mounted as the platform mounts it. A client that trusts that CA
 * alone (not the server's certificate) and checks the host name reaches a customer at {@code
 * <id>.tenants.localhost}, in Java and with curl; a client that trusts another CA is refused.
 */
@QuarkusTest
@TestProfile(NginxLocalCaIT.LocalCaCertificate.class)
class NginxLocalCaIT {
  /** Only this class's nginx: the other tests' self-signed one would set the same settings. */
  public static class LocalCaCertificate implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(InfrastructureResource.class, Map.of("needs", "postgres")),
          new TestResourceEntry(
              NginxTestResource.class,
              Map.of(NginxTestResource.CERTIFICATE_ARG, NginxTestResource.LOCAL_CA)));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  /** curl's exit code when the chain does not lead to a CA it trusts. */
  private static final int CURL_PEER_FAILED_VERIFICATION = 60;

  @Inject NginxSettings settings;

  @ConfigProperty(name = NginxTestResource.CA_PEM_PROPERTY)
  String caPem;

  @ConfigProperty(name = NginxTestResource.CA_FILE_PROPERTY)
  String caFile;

  @ConfigProperty(name = NginxTestResource.OTHER_CA_PEM_PROPERTY)
  String otherCaPem;

  @ConfigProperty(name = NginxTestResource.OTHER_CA_FILE_PROPERTY)
  String otherCaFile;

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
  void aCustomerAnswersOverHttpsToAClientTrustingTheLocalCaAloneAndNotToOneTrustingAnother() {
    String id = publishedRoute("local-ca");
    String host = id + "." + LOCAL_CA_DOMAIN;

    NginxClient.Response bySubdomain =
        NginxClient.overTls(settings.tls().listen(), caPem).get(host, "/api/health");
    assertThat(bySubdomain.status()).isEqualTo(200);
    assertThat(bySubdomain.body())
        .startsWith("upstream-" + id + " path=/api/health forwarded-host=" + host)
        .endsWith("forwarded-proto=https");
    NginxClient.Response byPath =
        NginxClient.overTls(settings.tls().listen(), caPem).get("localhost", "/" + id + "/");
    assertThat(byPath.status()).isEqualTo(200);
    assertThat(byPath.body()).startsWith("upstream-" + id + " path=/");

    NginxClient trustingAnother = NginxClient.overTls(settings.tls().listen(), otherCaPem);
    assertThatThrownBy(() -> trustingAnother.get(host, "/api/health"))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseInstanceOf(CertPathBuilderException.class)
        .cause()
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void curlVerifiesTheChainAgainstTheLocalCaAndTheCustomersHostNameButNotAgainstAnotherCa() {
    String id = publishedRoute("curl");
    String host = id + "." + LOCAL_CA_DOMAIN;

    Curl trusted = curl(caFile, host, "/api/health");
    assertThat(trusted.exitCode()).as(trusted.output()).isZero();
    assertThat(trusted.output())
        .startsWith("upstream-" + id + " path=/api/health forwarded-host=" + host)
        .endsWith("forwarded-proto=https");

    Curl refused = curl(otherCaFile, host, "/api/health");
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(CURL_PEER_FAILED_VERIFICATION);
  }

  private String publishedRoute(String prefix) {
    String id = id(prefix);
    DatabaseMigrated migrated = migrated(id, upstreams.start("upstream-" + id));
    bus.publish(migrated);
    bus.awaitPublished(migrated);
    return id;
  }

  private record Curl(int exitCode, String output) {}

  /**
   * {@code curl --cacert caFile https://host:<tls port>path}, the name resolved to 127.0.0.1: the
   * chain is checked against that file alone (the CA path is the file's folder, which holds no
   * hashed certificate names, in place of the system's), the host name against the certificate.
   */
  private Curl curl(String caFile, String host, String path) {
    String port = settings.tls().listen().substring(settings.tls().listen().lastIndexOf(':') + 1);
    try {
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "-sS",
                  "--max-time",
                  "10",
                  "--cacert",
                  caFile,
                  "--capath",
                  Path.of(caFile).getParent().toString(),
                  "--resolve",
                  host + ":" + port + ":127.0.0.1",
                  "https://" + host + ":" + port + path)
              .redirectErrorStream(true)
              .start();
      String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl ended").isTrue();
      return new Curl(curl.exitValue(), output.strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
