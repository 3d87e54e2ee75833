package dev.tenantplane.gateway.api;

import java.util.Map;

/**
 * The {@code type} of each kind of problem the API answers: a stable URN a client can branch on
 * (RFC 9457 allows any URI), one per kind, documented in the module README. The kinds follow the
 * status, since the API answers each kind with one status.
 */
final class ProblemTypes {
  static final String PREFIX = "urn:tenantplane:problem:";

  private static final Map<Integer, String> KINDS =
      Map.ofEntries(
          Map.entry(400, "invalid-request"),
          Map.entry(401, "unauthenticated"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not-found"),
          Map.entry(405, "method-not-allowed"),
          Map.entry(406, "not-acceptable"),
          Map.entry(409, "conflict"),
          Map.entry(413, "too-large"),
          Map.entry(415, "unsupported-media-type"),
          Map.entry(422, "unprocessable"),
          Map.entry(429, "rate-limited"),
          Map.entry(500, "internal"),
          Map.entry(503, "unavailable"));

  private ProblemTypes() {}

  /** The type of a problem answered with this status; {@code http-<status>} for any other. */
  static String of(int status) {
    return PREFIX + KINDS.getOrDefault(status, "http-" + status);
  }
}
