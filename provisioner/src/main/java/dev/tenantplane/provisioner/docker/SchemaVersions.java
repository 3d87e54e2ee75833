package dev.tenantplane.provisioner.docker;

import java.math.BigInteger;

/**
 * Orders Flyway schema versions ({@code 1}, {@code 1.1}, {@code 2024.01.15}): part by part, each
 * part a number where it is one. Null is the version of a database no migration has reached.
 */
final class SchemaVersions {
  private SchemaVersions() {}

  /** Whether {@code version} is later than {@code than}. */
  static boolean newer(String version, String than) {
    if (version == null) {
      return false;
    }
    if (than == null) {
      return true;
    }
    String[] a = version.split("[._]");
    String[] b = than.split("[._]");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "0";
      String y = i < b.length ? b[i] : "0";
      int order = compare(x, y);
      if (order != 0) {
        return order > 0;
      }
    }
    return false;
  }

  private static int compare(String x, String y) {
    if (x.matches("\\d+") && y.matches("\\d+")) {
      return new BigInteger(x).compareTo(new BigInteger(y));
    }
    return x.compareTo(y);
  }
}
