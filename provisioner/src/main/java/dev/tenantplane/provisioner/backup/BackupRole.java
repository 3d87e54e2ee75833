package dev.tenantplane.provisioner.backup;

/**
 * What a backup file holds. Its name is part of the associated data of the file's encryption, so a
 * file opens only as what it was written as (a Redis snapshot does not open as a database archive).
 */
public enum BackupRole {
  /** A custom-format {@code pg_dump} archive ({@code database.dump}). */
  DATABASE_ARCHIVE("database-archive"),
  /** A Redis RDB snapshot ({@code redis.rdb}). */
  REDIS_SNAPSHOT("redis-snapshot"),
  /** A plain SQL {@code pg_dump}: the archive backup, or the backup before a purge. */
  SQL_DUMP("sql-dump");

  private final String label;

  BackupRole(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
