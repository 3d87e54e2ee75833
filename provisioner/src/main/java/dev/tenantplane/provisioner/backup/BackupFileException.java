package dev.tenantplane.provisioner.backup;

import java.io.IOException;

/**
 * A backup file that does not open: encrypted under another platform key or for another customer or
 * role, altered, cut short, or of an unknown format version. Retrying cannot help.
 */
public class BackupFileException extends IOException {
  public BackupFileException(String message) {
    super(message);
  }

  public BackupFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
