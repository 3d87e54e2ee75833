package dev.tenantplane.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local CA and the server certificate it signs, made by the platform's own command ({@code
 * deploy/tenantplane tls init}, deploy/lib/tls.sh) in a folder of their own.
 */
record LocalCa(Path dir) {

  /** Runs {@code tls init --domain domain} into a new temporary folder. */
  static LocalCa make(String domain) {
    try {
      Path dir = Files.createTempDirectory("tenantplane-local-ca").resolve("tls");
      String cli = repositoryRoot().resolve("deploy/tenantplane").toString();
      ProcessBuilder init =
          new ProcessBuilder("bash", cli, "tls", "init", "--domain", domain)
              .redirectErrorStream(true);
      init.environment().put("TENANTPLANE_TLS_DIR", dir.toString());
      Process process = init.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("tenantplane tls init failed: " + output);
      }
      return new LocalCa(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The CA's certificate: what a client trusts. */
  Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  String caPem() {
    try {
      return Files.readString(caCertificate(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  Path serverKey() {
    return dir.resolve("server.key");
  }

  /** The group the server key belongs to, which nginx must be in to read it. */
  int serverKeyGroup() {
    try {
      return (Integer) Files.getAttribute(serverKey(), "unix:gid");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the files and their temporary folder. */
  void delete() {
    try (Stream<Path> files = Files.walk(dir.getParent())) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout this module is part of: the closest folder above that holds deploy/. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/tenantplane"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no deploy/tenantplane above " + Path.of("").toAbsolutePath());
  }
}
