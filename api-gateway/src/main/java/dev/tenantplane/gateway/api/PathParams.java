package dev.tenantplane.gateway.api;

import dev.tenantplane.common.naming.CustomerIds;
import java.util.UUID;

/**
 * Checks a path parameter against the rule every stored value meets before anything looks it up: a
 * value no row can hold is refused at the edge, never sent to PostgreSQL (which refuses a NUL byte
 * outright), and never echoed, since it may hold control characters or markup.
 */
final class PathParams {
  private PathParams() {}

  /** {@code id} if it can be a customer's id; else 400 naming {@code id}. */
  static String customerId(String id) {
    CustomerIds.problem(id)
        .ifPresent(
            problem -> {
              throw new ProblemException(
                  Problem.ofField(
                      400, "Bad Request", "id", "no customer can have this id: " + problem));
            });
    return id;
  }

  /** {@code id} as a fleet migration's id (a UUID); else 400 naming {@code id}. */
  static UUID fleetMigrationId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.ofField(
              400,
              "Bad Request",
              "id",
              "a fleet migration's id is the eventId its request was answered with (a UUID)"));
    }
  }

  /** {@code backupId} as a backup's id (a UUID); else 400 naming {@code backupId}. */
  static UUID backupId(String backupId) {
    try {
      return UUID.fromString(backupId);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.ofField(
              400,
              "Bad Request",
              "backupId",
              "a backup's id is the backupId its request was answered with (a UUID)"));
    }
  }

  /** {@code id} as a dead letter's id (a positive number); else 400 naming {@code id}. */
  static long deadLetterId(String id) {
    long letter;
    try {
      letter = Long.parseLong(id);
    } catch (NumberFormatException e) {
      letter = 0;
    }
    if (letter < 1) {
      throw new ProblemException(
          Problem.ofField(400, "Bad Request", "id", "a dead letter's id is a positive number"));
    }
    return letter;
  }

  /**
   * {@code name} if it can be a token's name; else 404 naming {@code name}, as for a name no token
   * has: a revocation only ever says whether such a token exists.
   */
  static String tokenName(String name) {
    if (!TokenResource.isTokenName(name)) {
      throw new ProblemException(
          Problem.ofField(
              404, "Not Found", "name", "no token can have this name: " + TokenResource.NAME_RULE));
    }
    return name;
  }
}
