package dev.tenantplane.provisioner.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainCopiesTest {
  @TempDir Path dir;

  @Test
  void aNewCopyIsOwnerOnlyAndTheStaleCopiesOfDeadAttemptsGoFirst() throws IOException {
    Instant old = Instant.now().minus(PlainCopies.STALE_AFTER).minus(Duration.ofMinutes(1));
    Path staleTar = aged(".copy-123.tar", old);
    Path staleCheck = aged(".check-456.rdb", old);
    Path running = aged(".copy-789.tar", Instant.now().minus(Duration.ofMinutes(5)));
    Path backup = aged("redis.rdb", old);
    Path archive = aged("saas_acme-archive.sql", old);

    Path copy = PlainCopies.create(dir, PlainCopies.CHECK_PREFIX, ".rdb");

    assertThat(copy.getFileName().toString()).startsWith(".check-").endsWith(".rdb");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
        .isEqualTo("rw-------");
    assertThat(staleTar).doesNotExist();
    assertThat(staleCheck).doesNotExist();
    assertThat(running).as("a copy of an attempt still running").exists();
    assertThat(backup).exists();
    assertThat(archive).exists();

    PlainCopies.delete(copy);
    PlainCopies.delete(null);
    assertThat(copy).doesNotExist();
  }

  private Path aged(String name, Instant modified) throws IOException {
    Path file = Files.writeString(dir.resolve(name), "x");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }
}
