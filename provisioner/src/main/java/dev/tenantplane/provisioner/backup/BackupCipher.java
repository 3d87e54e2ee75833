package dev.tenantplane.provisioner.backup;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import dev.tenantplane.common.crypto.PlatformKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Encrypts the backup files the platform writes, as they are written, and opens them again: AES-GCM
 * in segments (Tink's streaming AEAD {@code AES256_GCM_HKDF_1MB}), so a dump of any size is
 * streamed, never held in memory, and any change, reordering or truncation of the file fails it.
 *
 * <p>A file is {@value #MAGIC_TEXT}, one version byte ({@value #VERSION}), the 8 bytes of the
 * platform key's id (its fingerprint, {@link PlatformKey#id()}), then Tink's ciphertext: its own
 * header (a random 32-byte salt and a 7-byte nonce prefix, 40 bytes), then segments of 1 MiB each
 * with a 16-byte tag, the last one marked as last. Each file's AES-256 key is derived by Tink with
 * HKDF-SHA256 from the file's salt and a key derived from the platform key for this purpose ({@link
 * PlatformKey#derive}, {@value #PURPOSE}); the associated data of every segment is the format
 * version, the file's {@link BackupRole} and the customer's id, so a file moved to another customer
 * or read as another role does not open.
 *
 * <p>A file that does not start with the magic is one written before backups were encrypted: it is
 * read as it is.
 */
@ApplicationScoped
public class BackupCipher {
  static final String MAGIC_TEXT = "TPBACKUP";
  static final int VERSION = 1;
  static final String PURPOSE = "tenantplane backup files v1";
  private static final byte[] MAGIC = MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_ID_BYTES = 8;
  static final int HEADER_BYTES = MAGIC.length + 1 + KEY_ID_BYTES;
  private static final int SEGMENT_BYTES = 1 << 20;

  private final AesGcmHkdfStreaming aead;
  private final byte[] header;
  private final String keyId;

  @Inject
  public BackupCipher(PlatformKey key) {
    this(key, SEGMENT_BYTES);
  }

  /** With another segment size, for tests that need many segments from a small input. */
  BackupCipher(PlatformKey key, int segmentBytes) {
    byte[] ikm = key.derive(PURPOSE);
    try {
      this.aead = new AesGcmHkdfStreaming(ikm, "HmacSha256", 32, segmentBytes, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the backup cipher", e);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
    this.keyId = key.id();
    byte[] id = HexFormat.of().parseHex(keyId);
    this.header = new byte[HEADER_BYTES];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    header[MAGIC.length] = VERSION;
    System.arraycopy(id, 0, header, MAGIC.length + 1, KEY_ID_BYTES);
  }

  /**
   * A stream that encrypts what is written to it into {@code out} for {@code customerId} as {@code
   * role}; the header is written now. Closing it writes the last segment and closes {@code out}; a
   * file whose stream was not closed does not open. Where the header cannot be written (a full
   * disk), {@code out} is closed before the failure is thrown.
   */
  public OutputStream encrypt(OutputStream out, String customerId, BackupRole role)
      throws IOException {
    try {
      out.write(header);
      return aead.newEncryptingStream(out, associatedData(customerId, role));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      try {
        out.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot encrypt a backup file for customer " + customerId, e);
    }
  }

  /** Whether {@code file} is in this format (else it is a plain file from before). */
  public static boolean encrypted(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return startsWithMagic(in.readNBytes(MAGIC.length));
    }
  }

  /**
   * The plain bytes of {@code file}, decrypted as they are read; a plain file from before is read
   * as it is. A read fails with {@link BackupFileException} where the file does not open.
   */
  public InputStream open(StoredBackup file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file.path()));
    try {
      byte[] head = in.readNBytes(HEADER_BYTES);
      if (!startsWithMagic(head)) {
        in.close();
        return new BufferedInputStream(Files.newInputStream(file.path()));
      }
      requireOurs(file, head);
      Source source = new Source(in);
      return new Decrypting(
          aead.newDecryptingStream(source, associatedData(file.customerId(), file.role())),
          source,
          file);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      in.close();
      if (e instanceof BackupFileException b) {
        throw b;
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new BackupFileException(doesNotOpen(file), e);
    }
  }

  /**
   * How many plain bytes {@code file} holds, from its size alone (the format fixes the overhead);
   * the file is not read through, so this proves nothing about its content. Fails when no plain
   * size gives the file's size (it was cut short or had bytes added).
   */
  public long plaintextSize(StoredBackup file) throws IOException {
    long size = Files.size(file.path());
    byte[] head;
    try (InputStream in = Files.newInputStream(file.path())) {
      head = in.readNBytes(HEADER_BYTES);
    }
    if (!startsWithMagic(head)) {
      return size;
    }
    requireOurs(file, head);
    long ciphertext = size - HEADER_BYTES;
    long low = 0;
    long high = ciphertext;
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (aead.expectedCiphertextSize(middle) < ciphertext) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (aead.expectedCiphertextSize(low) != ciphertext) {
      throw new BackupFileException(doesNotOpen(file) + " (its size fits no complete file)");
    }
    return low;
  }

  /** Reads {@code file} through, proving that it opens; the plain bytes it holds. */
  public long verify(StoredBackup file) throws IOException {
    try (InputStream in = open(file)) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private void requireOurs(StoredBackup file, byte[] head) throws BackupFileException {
    if (head.length < HEADER_BYTES) {
      throw new BackupFileException(doesNotOpen(file) + " (cut short in its header)");
    }
    if (head[MAGIC.length] != VERSION) {
      throw new BackupFileException(
          "backup file "
              + file.path().getFileName()
              + " is of format version "
              + head[MAGIC.length]
              + ", which this platform does not read");
    }
    if (!Arrays.equals(head, 0, HEADER_BYTES, header, 0, HEADER_BYTES)) {
      throw new BackupFileException(
          "backup file "
              + file.path().getFileName()
              + " was encrypted under the platform key "
              + HexFormat.of().formatHex(head, MAGIC.length + 1, HEADER_BYTES)
              + ", not this platform's ("
              + keyId
              + ")");
    }
  }

  private static boolean startsWithMagic(byte[] head) {
    return head.length >= MAGIC.length
        && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  private static byte[] associatedData(String customerId, BackupRole role) {
    return (MAGIC_TEXT + " v" + VERSION + "\0" + role.label() + "\0" + customerId)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String doesNotOpen(StoredBackup file) {
    return "backup file "
        + file.path().getFileName()
        + " does not open as the "
        + file.role().label()
        + " of customer "
        + file.customerId()
        + ": altered, cut short, or written for another customer or file";
  }

  /** The encrypted file, noting whether reading it failed (an I/O error, not a bad file). */
  private static final class Source extends FilterInputStream {
    private boolean failed;

    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }

  /** Tink's decrypting stream, whose failures that are not the file's I/O name the file. */
  private static final class Decrypting extends FilterInputStream {
    private final Source source;
    private final StoredBackup file;

    Decrypting(InputStream decrypting, Source source, StoredBackup file) {
      super(decrypting);
      this.source = source;
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw classify(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw classify(e);
      }
    }

    @Override
    public void close() throws IOException {
      super.close();
      source.close();
    }

    private IOException classify(IOException e) {
      return source.failed ? e : new BackupFileException(doesNotOpen(file), e);
    }
  }
}
