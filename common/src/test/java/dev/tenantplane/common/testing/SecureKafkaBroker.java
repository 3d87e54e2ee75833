package dev.tenantplane.common.testing;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.testcontainers.images.builder.Transferable;

/**
 * The platform's Kafka image in its secure mode: clients on the host speak SASL_SSL with
 * SCRAM-SHA-512 to a certificate made for this run ({@link BrokerSecrets}). The platform topics are
 * created by a client that logs in, as every other client must.
 */
public class SecureKafkaBroker extends KafkaBroker {
  /** The one SCRAM user the broker knows. */
  public static final String USER = "tenantplane";

  private static final String SECURE_DIR = "/etc/kafka/secure";

  /** The image's {@code kafka} user (deploy/images/kafka/Dockerfile), the secrets' owner. */
  private static final int KAFKA_UID = 10002;

  private static final int OWNER_READ_ONLY = 0100400;

  private final BrokerSecrets secrets = BrokerSecrets.create();

  public SecureKafkaBroker(int hostPort) {
    super(hostPort);
    // The directory's name is the only thing the environment says: docker inspect shows it.
    withEnv("KAFKA_SECURE_DIR", SECURE_DIR);
    for (String name : BrokerSecrets.BROKER_FILES) {
      withCopyToContainer(ownedByKafka(name), SECURE_DIR + "/" + name);
    }
  }

  /** A client's login as the broker's SCRAM user, or with any other password. */
  public static String scramLogin(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  @Override
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>(super.clientProperties());
    properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    properties.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    properties.put(SaslConfigs.SASL_JAAS_CONFIG, scramLogin(USER, secrets.userPassword()));
    properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, secrets.truststore().toString());
    properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, secrets.truststorePassword());
    return Map.copyOf(properties);
  }

  /** Every password of this broker, for tests that look for one where it must not be. */
  public List<String> passwords() {
    return secrets.passwords();
  }

  /**
   * An image built before the secure mode ignores KAFKA_SECURE_DIR and starts in plaintext: say so
   * at once, rather than after the topics' creation has timed out.
   */
  @Override
  protected void containerIsStarted(InspectContainerResponse containerInfo) {
    if (!getLogs().contains("secure mode: EXTERNAL is SASL_SSL")) {
      throw new IllegalStateException(
          getDockerImageName()
              + " has no secure mode; rebuild it with deploy/images/build.sh kafka");
    }
    super.containerIsStarted(containerInfo);
  }

  @Override
  protected void containerIsStopped(InspectContainerResponse containerInfo) {
    secrets.delete();
  }

  /**
   * A secret file as the broker's user owns it, readable by it alone. Copied into the container
   * before it starts rather than bind-mounted: a mounted file keeps the host's owner, whom uid
   * 10002 is not.
   */
  private Transferable ownedByKafka(String name) {
    byte[] content;
    try {
      content = Files.readAllBytes(secrets.file(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Transferable() {
      @Override
      public long getSize() {
        return content.length;
      }

      @Override
      public byte[] getBytes() {
        return content;
      }

      @Override
      public void transferTo(TarArchiveOutputStream tar, String destination) {
        TarArchiveEntry entry = new TarArchiveEntry(destination);
        entry.setSize(content.length);
        entry.setMode(OWNER_READ_ONLY);
        entry.setIds(KAFKA_UID, KAFKA_UID);
        try {
          tar.putArchiveEntry(entry);
          tar.write(content);
          tar.closeArchiveEntry();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
