package dev.tenantplane.gateway.backups;

import java.util.regex.Pattern;

/**
 * Orders the tenant schema's versions as Flyway does: dotted numbers compared part by part, a
 * missing part counting as 0 ({@code 2} = {@code 2.0} < {@code 2.1} < {@code 10}).
 */
final class SchemaVersions {
  private static final Pattern VERSION = Pattern.compile("\\d{1,9}(\\.\\d{1,9})*");

  private SchemaVersions() {}

  /**
   * Whether a backup at {@code backup} is newer than a database at {@code live}. A version that is
   * unknown (null) or not a dotted number decides nothing: false.
   */
  static boolean newer(String backup, String live) {
    if (backup == null || live == null) {
      return false;
    }
    if (!VERSION.matcher(backup).matches() || !VERSION.matcher(live).matches()) {
      return false;
    }
    String[] a = backup.split("\\.");
    String[] b = live.split("\\.");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      long x = i < a.length ? Long.parseLong(a[i]) : 0;
      long y = i < b.length ? Long.parseLong(b[i]) : 0;
      if (x != y) {
        return x > y;
      }
    }
    return false;
  }
}
