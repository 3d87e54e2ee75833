package dev.tenantplane.nginx;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import dev.tenantplane.common.testing.LocalImages;
import dev.tenantplane.common.testing.TestContainers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * An nginx container of its own for the tests, run as the platform runs it (host network, no
 * capabilities) but listening on free 127.0.0.1 ports, with a self-signed certificate for TLS. The
 * service is configured to drive exactly this container; it is removed afterwards.
 */
public class NginxTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String TLS_DIR = "/etc/nginx/tls-test";
  public static final String CERTIFICATE = TLS_DIR + "/cert.pem";
  public static final String KEY = TLS_DIR + "/key.pem";

  /** The test certificate itself (PEM), for a client that trusts it and nothing else. */
  public static final String CERTIFICATE_PEM_PROPERTY = "tenantplane.test.tls-certificate-pem";

  private GenericContainer<?> nginx;

  @Override
  public Map<String, String> start() {
    String name = "tenantplane-nginx-test-" + UUID.randomUUID().toString().substring(0, 8);
    int port = TestContainers.freeLoopbackPort();
    int tlsPort = TestContainers.freeLoopbackPort();
    SelfSignedCertificate tls = SelfSignedCertificate.forLocalhost();
    nginx =
        new GenericContainer<>(LocalImages.nginx())
            .withNetworkMode("host")
            .withEnv("NGINX_LISTEN", "127.0.0.1:" + port)
            .withLabel(TestContainers.LABEL, "true")
            .withCopyToContainer(Transferable.of(tls.certificatePem(), 0644), CERTIFICATE)
            .withCopyToContainer(Transferable.of(tls.privateKeyPem(), 0644), KEY)
            .withCreateContainerCmdModifier(
                (CreateContainerCmd cmd) -> {
                  cmd.withName(name);
                  cmd.getHostConfig()
                      .withCapDrop(Capability.ALL)
                      .withSecurityOpts(List.of("no-new-privileges"))
                      .withMemory(128L * 1024 * 1024)
                      .withPidsLimit(100L);
                })
            .waitingFor(
                Wait.forLogMessage(".*start worker process.*", 1)
                    .withStartupTimeout(Duration.ofSeconds(60)));
    nginx.start();
    return Map.of(
        "tenantplane.nginx.container",
        name,
        "tenantplane.nginx.listen",
        "127.0.0.1:" + port,
        "tenantplane.nginx.tls.certificate",
        CERTIFICATE,
        "tenantplane.nginx.tls.key",
        KEY,
        "tenantplane.nginx.tls.listen",
        "127.0.0.1:" + tlsPort,
        CERTIFICATE_PEM_PROPERTY,
        tls.certificatePem());
  }

  @Override
  public void stop() {
    if (nginx != null) {
      nginx.stop();
    }
  }
}
