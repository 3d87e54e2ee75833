package dev.tenantplane.provisioner.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.crypto.PlatformKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCipherTest {
  private static final int SEGMENT = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final PlatformKey KEY = PlatformKey.fromBase64(PlatformKey.generateBase64(RANDOM));

  private final BackupCipher cipher = new BackupCipher(KEY, SEGMENT);

  @TempDir Path dir;

  @Test
  void aMultiSegmentFileRoundTripsAndHoldsNoPlaintext() throws IOException {
    byte[] plain = plaintext(10 * SEGMENT + 123);
    Path file = write("database.dump", "acme-corp", BackupRole.DATABASE_ARCHIVE, plain);

    byte[] stored = Files.readAllBytes(file);
    assertThat(BackupCipher.encrypted(file)).isTrue();
    assertThat(new String(stored, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("TPBACKUP");
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("row-0000042");
    assertThat(stored.length).isGreaterThan(plain.length + 10 * 16);

    StoredBackup backup = new StoredBackup(file, "acme-corp", BackupRole.DATABASE_ARCHIVE);
    assertThat(read(backup)).isEqualTo(plain);
    assertThat(cipher.plaintextSize(backup)).isEqualTo(plain.length);
    assertThat(cipher.verify(backup)).isEqualTo(plain.length);
    // Another instance with the same key (the next start of the service) opens it too.
    assertThat(read(new BackupCipher(KEY, SEGMENT), backup)).isEqualTo(plain);
  }

  @Test
  void thePlaintextSizeFollowsFromTheFileSizeAtEverySegmentBoundary() throws IOException {
    for (int size : new int[] {0, 1, SEGMENT - 100, SEGMENT - 56, SEGMENT, 3 * SEGMENT + 7}) {
      Path file = write("f" + size, "acme-corp", BackupRole.SQL_DUMP, plaintext(size));
      StoredBackup backup = new StoredBackup(file, "acme-corp", BackupRole.SQL_DUMP);
      assertThat(cipher.plaintextSize(backup)).as("size %d", size).isEqualTo(size);
      assertThat(read(backup)).hasSize(size);
    }
  }

  @Test
  void aFlippedByteAnywhereFailsTheRead() throws IOException {
    byte[] plain = plaintext(3 * SEGMENT + 10);
    Path file = write("database.dump", "acme-corp", BackupRole.DATABASE_ARCHIVE, plain);
    byte[] stored = Files.readAllBytes(file);
    StoredBackup backup = new StoredBackup(file, "acme-corp", BackupRole.DATABASE_ARCHIVE);
    // In Tink's header, in the first segment, in the middle, in the last tag.
    for (int at : new int[] {20, 100, stored.length / 2, stored.length - 1}) {
      byte[] altered = stored.clone();
      altered[at] ^= 0x01;
      Files.write(file, altered);
      assertThatThrownBy(() -> read(backup))
          .as("byte %d", at)
          .isInstanceOf(BackupFileException.class);
    }
  }

  @Test
  void aFileCutShortOrExtendedFails() throws IOException {
    byte[] plain = plaintext(3 * SEGMENT);
    Path file = write("database.dump", "acme-corp", BackupRole.DATABASE_ARCHIVE, plain);
    byte[] stored = Files.readAllBytes(file);
    StoredBackup backup = new StoredBackup(file, "acme-corp", BackupRole.DATABASE_ARCHIVE);
    // Whole segments dropped: every size is a possible one, only the last-segment mark tells.
    Files.write(file, Arrays.copyOf(stored, stored.length - SEGMENT));
    assertThatThrownBy(() -> read(backup)).isInstanceOf(BackupFileException.class);
    Files.write(file, Arrays.copyOf(stored, stored.length - 5));
    assertThatThrownBy(() -> read(backup)).isInstanceOf(BackupFileException.class);
    Files.write(file, Arrays.copyOf(stored, stored.length + 3));
    assertThatThrownBy(() -> read(backup)).isInstanceOf(BackupFileException.class);
  }

  @Test
  void anotherCustomersIdOrAnotherRoleDoesNotOpenIt() throws IOException {
    Path file =
        write("database.dump", "acme-corp", BackupRole.DATABASE_ARCHIVE, plaintext(2 * SEGMENT));
    assertThatThrownBy(() -> read(new StoredBackup(file, "techstart", BackupRole.DATABASE_ARCHIVE)))
        .isInstanceOf(BackupFileException.class)
        .hasMessageContaining("techstart");
    assertThatThrownBy(() -> read(new StoredBackup(file, "acme-corp", BackupRole.REDIS_SNAPSHOT)))
        .isInstanceOf(BackupFileException.class);
  }

  @Test
  void anotherPlatformKeyDoesNotOpenItAndTheFailureNamesBothKeyIds() throws IOException {
    Path file = write("redis.rdb", "acme-corp", BackupRole.REDIS_SNAPSHOT, plaintext(100));
    PlatformKey other = PlatformKey.fromBase64(PlatformKey.generateBase64(RANDOM));
    StoredBackup backup = new StoredBackup(file, "acme-corp", BackupRole.REDIS_SNAPSHOT);
    assertThatThrownBy(() -> read(new BackupCipher(other, SEGMENT), backup))
        .isInstanceOf(BackupFileException.class)
        .hasMessageContaining(KEY.id())
        .hasMessageContaining(other.id());

    // With the other key's id put in the header, the other key still does not decrypt it.
    byte[] stored = Files.readAllBytes(file);
    System.arraycopy(HexFormat.of().parseHex(other.id()), 0, stored, 9, 8);
    Files.write(file, stored);
    assertThatThrownBy(() -> read(new BackupCipher(other, SEGMENT), backup))
        .isInstanceOf(BackupFileException.class)
        .hasMessageContaining("does not open");
  }

  @Test
  void aPlainFileFromBeforeIsReadAsItIs() throws IOException {
    byte[] plain =
        "PGDMP\u0001\u000e\u0000 a custom-format archive".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("database.dump");
    Files.write(file, plain);
    StoredBackup backup = new StoredBackup(file, "acme-corp", BackupRole.DATABASE_ARCHIVE);
    assertThat(BackupCipher.encrypted(file)).isFalse();
    assertThat(read(backup)).isEqualTo(plain);
    assertThat(cipher.plaintextSize(backup)).isEqualTo(plain.length);

    Path empty = dir.resolve("empty.sql");
    Files.write(empty, new byte[0]);
    assertThat(read(new StoredBackup(empty, "acme-corp", BackupRole.SQL_DUMP))).isEmpty();
  }

  @Test
  void anUnknownFormatVersionIsRefused() throws IOException {
    Path file = write("redis.rdb", "acme-corp", BackupRole.REDIS_SNAPSHOT, plaintext(10));
    byte[] stored = Files.readAllBytes(file);
    stored[8] = 2;
    Files.write(file, stored);
    assertThatThrownBy(() -> read(new StoredBackup(file, "acme-corp", BackupRole.REDIS_SNAPSHOT)))
        .isInstanceOf(BackupFileException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void aHeaderThatCannotBeWrittenClosesTheFile() {
    boolean[] closed = {false};
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };
    assertThatThrownBy(() -> cipher.encrypt(full, "acme-corp", BackupRole.SQL_DUMP))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device");
    assertThat(closed[0]).as("the file's stream, closed").isTrue();
  }

  private Path write(String name, String customer, BackupRole role, byte[] plain)
      throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = cipher.encrypt(Files.newOutputStream(file), customer, role)) {
      // In uneven pieces, as docker exec delivers them.
      for (int at = 0; at < plain.length; at += 1000) {
        out.write(plain, at, Math.min(1000, plain.length - at));
      }
    }
    return file;
  }

  private byte[] read(StoredBackup backup) throws IOException {
    return read(cipher, backup);
  }

  private static byte[] read(BackupCipher cipher, StoredBackup backup) throws IOException {
    try (InputStream in = cipher.open(backup)) {
      return in.readAllBytes();
    }
  }

  private static byte[] plaintext(int size) {
    StringBuilder text = new StringBuilder();
    for (int row = 0; text.length() < size; row++) {
      text.append(String.format("row-%07d\n", row));
    }
    byte[] bytes = Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    return bytes;
  }
}
