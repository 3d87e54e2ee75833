package dev.tenantplane.tenantapp.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;

/**
 * Verifies compact HS256 JSON Web Tokens signed with the customer's {@code JWT_SECRET}, with
 * jose4j: the header must say HS256 (no other algorithm, never {@code none}), its {@code crit} may
 * name no extension jose4j does not understand, the signature must match, {@code exp} (required)
 * must lie ahead and {@code nbf}, when present, behind, both with 30 s of allowed clock skew, and
 * {@code org} must be an organization id. Time is read from the given clock.
 */
public final class Hs256Verifier {
  static final int ALLOWED_CLOCK_SKEW_SECONDS = 30;
  private static final int MIN_SECRET_BYTES = 32;
  private static final AlgorithmConstraints HS256_ONLY =
      new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256);

  /** Permits no algorithm: an encrypted token (JWE) is refused before any key is looked for. */
  private static final AlgorithmConstraints NO_ENCRYPTION =
      new AlgorithmConstraints(ConstraintType.PERMIT);

  private final HmacKey key;
  private final Clock clock;

  public Hs256Verifier(String secret, Clock clock) {
    byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
    if (raw.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
    }
    this.key = new HmacKey(raw);
    this.clock = clock;
  }

  public OrgToken verify(String token) {
    if (token == null) {
      throw new InvalidTokenException("no bearer token");
    }
    JwtClaims claims;
    try {
      claims =
          new JwtConsumerBuilder()
              .setJwsAlgorithmConstraints(HS256_ONLY)
              .setJweAlgorithmConstraints(NO_ENCRYPTION)
              .setVerificationKey(key)
              .setRequireExpirationTime()
              .setAllowedClockSkewInSeconds(ALLOWED_CLOCK_SKEW_SECONDS)
              .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
              // The tokens name no audience: the secret is the customer's alone.
              .setSkipDefaultAudienceValidation()
              .build()
              .processToClaims(token);
    } catch (InvalidJwtException e) {
      throw new InvalidTokenException(reason(e, token));
    }
    return new OrgToken(organization(claims), subject(claims));
  }

  private static UUID organization(JwtClaims claims) {
    try {
      String org = claims.getStringClaimValue("org");
      if (org != null) {
        return UUID.fromString(org);
      }
    } catch (MalformedClaimException | IllegalArgumentException e) {
      // refused below
    }
    throw new InvalidTokenException("org claim is not an organization id");
  }

  private static String subject(JwtClaims claims) {
    try {
      return claims.getSubject();
    } catch (MalformedClaimException e) {
      throw new InvalidTokenException("sub claim is not a string");
    }
  }

  /** Why jose4j refused the token, in words that give away neither the token nor its claims. */
  private static String reason(InvalidJwtException e, String token) {
    if (e.getCause() instanceof InvalidAlgorithmException) {
      return "algorithm must be HS256";
    }
    if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
      return "bad signature";
    }
    if (e.hasErrorCode(ErrorCodes.EXPIRED) || e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
      return "expired or without exp";
    }
    if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
      return "not yet valid (nbf)";
    }
    if (e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
      return "a registered claim (such as exp or nbf) has the wrong type";
    }
    if (e.hasErrorCode(ErrorCodes.JSON_INVALID)) {
      return "claims are not a JSON object";
    }
    if (namesCriticalExtension(token)) {
      return "crit header names an extension this app does not understand";
    }
    return "not a compact JWS of base64url-encoded JSON";
  }

  private static boolean namesCriticalExtension(String token) {
    try {
      return JsonWebStructure.fromCompactSerialization(token)
              .getHeaders()
              .getObjectHeaderValue(HeaderParameterNames.CRITICAL)
          != null;
    } catch (JoseException e) {
      return false;
    }
  }
}
