package dev.tenantplane.provisioner.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.crypto.PlatformKey;
import dev.tenantplane.provisioner.docker.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupExportTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void writesThePlainContentOfAFileWithTheKeyFromItsFile() throws IOException {
    String base64 = PlatformKey.generateBase64(new SecureRandom());
    Path keyFile = Files.writeString(dir.resolve("platform.key"), base64 + "\n");
    Path file = dir.resolve("acme-archive.sql");
    byte[] plain = "-- PostgreSQL database dump\nINSERT a row\n".getBytes(StandardCharsets.UTF_8);
    try (OutputStream encrypting =
        new BackupCipher(PlatformKey.fromBase64(base64))
            .encrypt(Files.newOutputStream(file), "acme-corp", BackupRole.SQL_DUMP)) {
      encrypting.write(plain);
    }
    String sha = Sha256.of(file);

    assertThat(run(keyFile, "acme-corp", "sql-dump", file, sha)).isZero();
    assertThat(out.toByteArray()).isEqualTo(plain);

    out.reset();
    assertThat(run(keyFile, "techstart", "sql-dump", file, sha)).isEqualTo(1);
    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not open");

    assertThat(run(keyFile, "acme-corp", "sql-dump", file, "0".repeat(64))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not match the SHA-256");
    assertThat(run(keyFile, "acme-corp", "no-such-role", file, sha)).isEqualTo(2);
  }

  private int run(Path key, String customer, String role, Path file, String sha) {
    return BackupExport.run(
        new String[] {key.toString(), customer, role, file.toString(), sha},
        out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
