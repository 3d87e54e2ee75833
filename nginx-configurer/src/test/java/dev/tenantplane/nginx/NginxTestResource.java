package dev.tenantplane.nginx;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import dev.tenantplane.common.testing.LocalImages;
import dev.tenantplane.common.testing.TestContainers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>With the init argument {@code certificate=local-ca} the certificate is instead one the
 * platform's {@code tenantplane tls init} signs with a local CA for {@value #LOCAL_CA_DOMAIN},
 * bound read-only where and as the platform mounts it (deploy/lib/tls.sh), and customers are served
 * at {@code <id>.}{@value #LOCAL_CA_DOMAIN}; a second CA, which signed nothing nginx serves, is
 * there for clients that must be refused.
 */
public class NginxTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String TLS_DIR = "/etc/nginx/tls-test";
  public static final String CERTIFICATE = TLS_DIR + "/cert.pem";
  public static final String KEY = TLS_DIR + "/key.pem";

  /** The test certificate itself (PEM), for a client that trusts it and nothing else. */
  public static final String CERTIFICATE_PEM_PROPERTY = "tenantplane.test.tls-certificate-pem";

  /** Init argument choosing the certificate: {@value #LOCAL_CA}, or a self-signed one. */
  public static final String CERTIFICATE_ARG = "certificate";

  public static final String LOCAL_CA = "local-ca";
  public static final String LOCAL_CA_DOMAIN = "tenants.localhost";

  /** Where the platform mounts the server certificate and key (deploy/lib/tls.sh). */
  public static final String PLATFORM_TLS_DIR = "/etc/nginx/tls";

  /** The local CA's certificate (PEM) and its file, for clients that trust it alone. */
  public static final String CA_PEM_PROPERTY = "tenantplane.test.tls-ca-pem";

  public static final String CA_FILE_PROPERTY = "tenantplane.test.tls-ca-file";

  /** Another CA's certificate (PEM) and file: nginx serves nothing it signed. */
  public static final String OTHER_CA_PEM_PROPERTY = "tenantplane.test.tls-other-ca-pem";

  public static final String OTHER_CA_FILE_PROPERTY = "tenantplane.test.tls-other-ca-file";

  private boolean localCa;
  private final List<LocalCa> cas = new ArrayList<>();
  private GenericContainer<?> nginx;

  @Override
  public void init(Map<String, String> initArgs) {
    localCa = LOCAL_CA.equals(initArgs.get(CERTIFICATE_ARG));
  }

  @Override
  public Map<String, String> start() {
    String name = "tenantplane-nginx-test-" + UUID.randomUUID().toString().substring(0, 8);
    int port = TestContainers.freeLoopbackPort();
    int tlsPort = TestContainers.freeLoopbackPort();
    Map<String, String> config = new HashMap<>();
    config.put("tenantplane.nginx.container", name);
    config.put("tenantplane.nginx.listen", "127.0.0.1:" + port);
    config.put("tenantplane.nginx.tls.listen", "127.0.0.1:" + tlsPort);
    nginx =
        new GenericContainer<>(LocalImages.nginx())
            .withNetworkMode("host")
            .withEnv("NGINX_LISTEN", "127.0.0.1:" + port)
            .withLabel(TestContainers.LABEL, "true");
    List<String> groups = new ArrayList<>();
    List<Bind> binds = new ArrayList<>();
    if (localCa) {
      LocalCa ca = LocalCa.make(LOCAL_CA_DOMAIN);
      cas.add(ca);
      LocalCa other = LocalCa.make(LOCAL_CA_DOMAIN);
      cas.add(other);
      // Bound as the platform binds them (read-only, the key readable by its group), set on the
      // create command itself: testcontainers' own file binds first check that binds work by
      // running an alpine image, which no registry here serves (two minutes of pull retries).
      binds.add(
          new Bind(
              ca.serverCertificate().toString(),
              new Volume(PLATFORM_TLS_DIR + "/server.crt"),
              AccessMode.ro));
      binds.add(
          new Bind(
              ca.serverKey().toString(),
              new Volume(PLATFORM_TLS_DIR + "/server.key"),
              AccessMode.ro));
      groups.add(String.valueOf(ca.serverKeyGroup()));
      config.put("tenantplane.nginx.base-domain", LOCAL_CA_DOMAIN);
      config.put("tenantplane.nginx.tls.certificate", PLATFORM_TLS_DIR + "/server.crt");
      config.put("tenantplane.nginx.tls.key", PLATFORM_TLS_DIR + "/server.key");
      config.put(CA_PEM_PROPERTY, ca.caPem());
      config.put(CA_FILE_PROPERTY, ca.caCertificate().toString());
      config.put(OTHER_CA_PEM_PROPERTY, other.caPem());
      config.put(OTHER_CA_FILE_PROPERTY, other.caCertificate().toString());
    } else {
      SelfSignedCertificate tls = SelfSignedCertificate.forLocalhost();
      nginx
          .withCopyToContainer(Transferable.of(tls.certificatePem(), 0644), CERTIFICATE)
          .withCopyToContainer(Transferable.of(tls.privateKeyPem(), 0644), KEY);
      config.put("tenantplane.nginx.tls.certificate", CERTIFICATE);
      config.put("tenantplane.nginx.tls.key", KEY);
      config.put(CERTIFICATE_PEM_PROPERTY, tls.certificatePem());
    }
    nginx
        .withCreateContainerCmdModifier(
            (CreateContainerCmd cmd) -> {
              cmd.withName(name);
              cmd.getHostConfig()
                  .withCapDrop(Capability.ALL)
                  .withSecurityOpts(List.of("no-new-privileges"))
                  .withMemory(128L * 1024 * 1024)
                  .withPidsLimit(100L)
                  .withGroupAdd(groups)
                  .withBinds(binds);
            })
        .waitingFor(
            Wait.forLogMessage(".*start worker process.*", 1)
                .withStartupTimeout(Duration.ofSeconds(60)));
    nginx.start();
    return config;
  }

  @Override
  public void stop() {
    if (nginx != null) {
      nginx.stop();
    }
    cas.forEach(LocalCa::delete);
  }
}
