package dev.tenantplane.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the Kafka image's secure mode reads, made for one test run: a certificate authority, the
 * broker's key with a certificate it signed for 127.0.0.1 and localhost, a truststore holding the
 * authority for clients, and random passwords. Made with the JDK's keytool, passwords handed over
 * in its environment rather than on its command line; the files are readable by this user only and
 * go with {@link #delete()}.
 */
final class BrokerSecrets {
  /** File names the image's secure mode expects in {@code KAFKA_SECURE_DIR}. */
  static final List<String> BROKER_FILES =
      List.of("server.keystore.p12", "keystore.password", "scram-users");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEYTOOL =
      Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

  private final Path dir;
  private final String keystorePassword = password();
  private final String truststorePassword = password();
  private final String userPassword = password();
  private final String authorityPassword = password();

  private BrokerSecrets(Path dir) {
    this.dir = dir;
  }

  static BrokerSecrets create() {
    try {
      BrokerSecrets secrets =
          new BrokerSecrets(
              Files.createTempDirectory(
                  "kafka-secure-",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------"))));
      secrets.write();
      return secrets;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the broker's secrets", e);
    }
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  Path truststore() {
    return file("truststore.p12");
  }

  String truststorePassword() {
    return truststorePassword;
  }

  String userPassword() {
    return userPassword;
  }

  /** Every password made, for tests that look for one where it must not be. */
  List<String> passwords() {
    return List.of(keystorePassword, truststorePassword, userPassword, authorityPassword);
  }

  void delete() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private void write() throws IOException {
    String newKey = "-genkeypair -keyalg EC -groupname secp256r1 -validity 2";
    keytool("ca.p12", "AUTHORITY", newKey + " -alias ca -dname CN=test-ca -ext bc:c");
    keytool("server.keystore.p12", "KEYSTORE", newKey + " -alias broker -dname CN=localhost");
    keytool("server.keystore.p12", "KEYSTORE", "-certreq -alias broker -file broker.csr");
    keytool(
        "ca.p12",
        "AUTHORITY",
        "-gencert -alias ca -infile broker.csr -outfile broker.crt -rfc -validity 2"
            + " -ext SAN=ip:127.0.0.1,dns:localhost -ext EKU=serverAuth");
    keytool("ca.p12", "AUTHORITY", "-exportcert -alias ca -rfc -file ca.crt");
    // The broker presents its whole chain; clients trust the authority alone.
    keytool("server.keystore.p12", "KEYSTORE", "-importcert -alias ca -file ca.crt -noprompt");
    keytool("server.keystore.p12", "KEYSTORE", "-importcert -alias broker -file broker.crt");
    keytool("truststore.p12", "TRUSTSTORE", "-importcert -alias ca -file ca.crt -noprompt");
    Files.writeString(file("keystore.password"), keystorePassword + "\n");
    Files.writeString(file("scram-users"), SecureKafkaBroker.USER + "=" + userPassword + "\n");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    }
  }

  /**
   * Base64url of 24 random bytes: within the characters the image's secure mode accepts ({@code
   * deploy/images/kafka/entrypoint.sh}).
   */
  private static String password() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Runs keytool in the secrets' directory on the PKCS12 store {@code store}, whose password it
   * reads from the variable {@code passwordVariable}; {@code args} are separated by spaces.
   */
  private void keytool(String store, String passwordVariable, String args) throws IOException {
    // Eight short runs: the quick JIT tier and the serial collector halve each one's start.
    List<String> command =
        new ArrayList<>(List.of(KEYTOOL, "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(args.split(" ")));
    command.addAll(
        List.of("-keystore", store, "-storetype", "PKCS12", "-storepass:env", passwordVariable));
    Path output = file("keytool.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("AUTHORITY", authorityPassword);
    builder.environment().put("KEYSTORE", keystorePassword);
    builder.environment().put("TRUSTSTORE", truststorePassword);
    Process process = builder.start();
    // No input: a question keytool should not ask ends it instead of hanging the test.
    process.getOutputStream().close();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool " + args + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for keytool", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "keytool " + args + " failed: " + Files.readString(output).strip());
    }
  }
}
