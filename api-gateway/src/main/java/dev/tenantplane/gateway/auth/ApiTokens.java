package dev.tenantplane.gateway.auth;

import dev.tenantplane.gateway.Sql;
import dev.tenantplane.gateway.audit.Audit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API tokens: lookup by hash, creation (the token is returned once, and expires), listing and
 * revocation.
 */
@ApplicationScoped
public class ApiTokens {
  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public ApiTokens(Pool pool) {
    this.pool = pool;
  }

  /** A token as its list shows it: never its value or hash. */
  public record TokenInfo(
      String name,
      String role,
      Instant createdAt,
      String createdBy,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt) {}

  /**
   * The caller a presented token stands for, if it exists, is not revoked and has not expired; its
   * last use is recorded in the same statement, at most once a minute per token so that a token in
   * steady use does not write a row on every request.
   */
  public Uni<Optional<Caller>> authenticate(String token) {
    return pool.preparedQuery(
            "WITH valid AS (SELECT name, role FROM api_token WHERE token_hash = $1"
                + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())),"
                + " used AS (UPDATE api_token SET last_used_at = now() WHERE token_hash = $1"
                + " AND name IN (SELECT name FROM valid) AND (last_used_at IS NULL"
                + " OR last_used_at < now() - interval '1 minute'))"
                + " SELECT name, role FROM valid")
        .execute(Tuple.of(TokenHash.of(token)))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.empty();
              }
              Row row = it.next();
              return Role.ofWireName(row.getString("role"))
                  .map(role -> new Caller(row.getString("name"), role));
            });
  }

  /**
   * Creates a token that expires at {@code expiresAt}; blocking.
   *
   * @return the token, or empty when the name is taken (also by a revoked token)
   */
  public Optional<String> create(String name, Role role, Instant expiresAt, String actor) {
    String token = TokenHash.newToken(random);
    boolean created =
        Sql.await(
            () ->
                Panache.withTransaction(
                    () ->
                        insert(name, role, TokenHash.of(token), expiresAt, actor)
                            .call(
                                inserted ->
                                    inserted
                                        ? Audit.record(
                                            actor, "token-created", null, null, detail(name, role))
                                        : Uni.createFrom().voidItem())));
    return created ? Optional.of(token) : Optional.empty();
  }

  /** What a revocation did. */
  public enum Revocation {
    REVOKED,
    NO_ACTIVE_TOKEN,
    /** Refused: without the last admin token that works, no token could be made or revoked. */
    LAST_ADMIN
  }

  /**
   * Revokes a token, unless it is the last admin token that works; blocking. The working admin
   * tokens are locked first, so two admins revoking each other at once cannot both succeed.
   */
  public Revocation revoke(String name, String actor) {
    boolean revoked =
        Sql.await(
            () ->
                Panache.withTransaction(
                    () ->
                        Sql.of(
                                "WITH admins AS (SELECT name FROM api_token WHERE role = :admin"
                                    + " AND revoked_at IS NULL"
                                    + " AND (expires_at IS NULL OR expires_at > now()) FOR UPDATE)"
                                    + " UPDATE api_token SET revoked_at = now() WHERE name = :name"
                                    + " AND revoked_at IS NULL AND (role <> :admin"
                                    + " OR name NOT IN (SELECT name FROM admins)"
                                    + " OR EXISTS (SELECT 1 FROM admins WHERE name <> :name))")
                            .bind("name", name)
                            .bind("admin", Role.ADMIN.wireName())
                            .update()
                            .call(
                                rows ->
                                    rows == 1
                                        ? Audit.record(
                                            actor, "token-revoked", null, null, "name=" + name)
                                        : Uni.createFrom().voidItem())
                            .map(rows -> rows == 1)));
    if (revoked) {
      return Revocation.REVOKED;
    }
    return activeRole(name).isPresent() ? Revocation.LAST_ADMIN : Revocation.NO_ACTIVE_TOKEN;
  }

  /** Whether any token was ever created; blocking. */
  boolean anyExists() {
    return pool.query("SELECT 1 FROM api_token LIMIT 1")
        .execute()
        .map(rows -> rows.size() > 0)
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  /** Registers a token whose value is known (the admin token file); blocking. */
  boolean register(String name, Role role, String token, String actor) {
    return Sql.await(
        () ->
            Panache.withTransaction(
                () ->
                    insert(name, role, TokenHash.of(token), null, actor)
                        .call(
                            inserted ->
                                inserted
                                    ? Audit.record(
                                        actor, "token-created", null, null, detail(name, role))
                                    : Uni.createFrom().voidItem())));
  }

  /** What the audit row of a token creation says: the token's name and role, never the token. */
  private static String detail(String name, Role role) {
    return "name=" + name + " role=" + role.wireName();
  }

  /** Every token ever made, newest first; blocking. */
  public List<TokenInfo> list() {
    List<TokenInfo> tokens = new ArrayList<>();
    for (Row row :
        pool.query(
                "SELECT name, role, created_at, created_by, expires_at, revoked_at, last_used_at"
                    + " FROM api_token ORDER BY created_at DESC, name")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(30))) {
      tokens.add(
          new TokenInfo(
              row.getString("name"),
              row.getString("role"),
              instant(row, "created_at"),
              row.getString("created_by"),
              instant(row, "expires_at"),
              instant(row, "revoked_at"),
              instant(row, "last_used_at")));
    }
    return tokens;
  }

  /** The role of the active token named {@code name}, if there is one; blocking. */
  private Optional<Role> activeRole(String name) {
    var rows =
        pool.preparedQuery("SELECT role FROM api_token WHERE name = $1 AND revoked_at IS NULL")
            .execute(Tuple.of(name))
            .await()
            .atMost(Duration.ofSeconds(30));
    return rows.size() == 0
        ? Optional.empty()
        : Role.ofWireName(rows.iterator().next().getString("role"));
  }

  /** {@code expiresAt} null: the token never expires (only the bootstrap admin token). */
  private static Uni<Boolean> insert(
      String name, Role role, String hash, Instant expiresAt, String actor) {
    return Sql.of(
            "INSERT INTO api_token (name, role, token_hash, expires_at, created_by) VALUES (:name,"
                + " :role, :hash, CAST(:expires AS timestamptz), :actor)"
                + " ON CONFLICT DO NOTHING")
        .bind("name", name)
        .bind("role", role.wireName())
        .bind("hash", hash)
        .bind("expires", expiresAt == null ? null : Sql.utc(expiresAt))
        .bind("actor", actor)
        .update()
        .map(rows -> rows == 1);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
