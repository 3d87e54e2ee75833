package dev.tenantplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the gateway says who may call it, so a new one is never protected by accident
 * (at run time an undeclared one answers 403 to everyone: deny-unannotated-endpoints).
 */
class DeclaredRolesTest {
  private static final String PACKAGE = "dev.tenantplane.gateway";
  private static final Set<String> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  record Endpoint(Method method, String verb, String path) {
    @Override
    public String toString() {
      return verb
          + " "
          + path
          + " ("
          + method.getDeclaringClass().getSimpleName()
          + "."
          + method.getName()
          + ")";
    }
  }

  private static List<Endpoint> endpoints;

  @BeforeAll
  static void findEndpoints() throws IOException, URISyntaxException, ClassNotFoundException {
    // The application's classes, not this test's, which share the package.
    var root =
        Paths.get(Role.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(PACKAGE.replace('.', '/'));
    List<String> classNames;
    try (Stream<java.nio.file.Path> files = Files.walk(root)) {
      classNames =
          files
              .map(f -> root.relativize(f).toString())
              .filter(f -> f.endsWith(".class") && !f.contains("$"))
              .map(f -> PACKAGE + "." + f.substring(0, f.length() - 6).replace('/', '.'))
              .toList();
    }
    endpoints = new ArrayList<>();
    for (String name : classNames) {
      Class<?> type = Class.forName(name);
      Path classPath = type.getAnnotation(Path.class);
      if (classPath == null) {
        continue;
      }
      for (Method method : type.getDeclaredMethods()) {
        verb(method)
            .ifPresent(
                verb -> {
                  Path sub = method.getAnnotation(Path.class);
                  endpoints.add(
                      new Endpoint(
                          method, verb, classPath.value() + (sub == null ? "" : sub.value())));
                });
      }
    }
  }

  private static Optional<String> verb(Method method) {
    return Arrays.stream(method.getAnnotations())
        .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
        .filter(h -> h != null)
        .map(HttpMethod::value)
        .findFirst();
  }

  private static Optional<Set<String>> roles(Endpoint endpoint) {
    RolesAllowed declared = endpoint.method().getAnnotation(RolesAllowed.class);
    if (declared == null) {
      declared = endpoint.method().getDeclaringClass().getAnnotation(RolesAllowed.class);
    }
    return Optional.ofNullable(declared).map(r -> Set.of(r.value()));
  }

  private static boolean permitsAll(Endpoint endpoint) {
    return endpoint.method().isAnnotationPresent(PermitAll.class)
        || endpoint.method().getDeclaringClass().isAnnotationPresent(PermitAll.class);
  }

  @Test
  void theScanFindsTheApisEndpoints() {
    assertThat(endpoints)
        .extracting(Endpoint::toString)
        .anyMatch(e -> e.startsWith("POST /api/v1/customers "))
        .anyMatch(e -> e.startsWith("GET /api/v1/customers/{id} "))
        .anyMatch(e -> e.startsWith("DELETE /api/v1/tokens/{name} "))
        .hasSizeGreaterThan(20);
  }

  @Test
  void everyEndpointDeclaresItsRolesOrThatItIsOpen() {
    assertThat(endpoints)
        .filteredOn(e -> roles(e).isEmpty() && !permitsAll(e))
        .as("endpoints without @RolesAllowed or @PermitAll")
        .isEmpty();
  }

  @Test
  void everyEndpointOfTheVersionedApiNeedsAToken() {
    assertThat(endpoints)
        .filteredOn(e -> e.path().startsWith("/api/v1") && permitsAll(e))
        .as("open endpoints under /api/v1")
        .isEmpty();
  }

  @Test
  void onlyOperatorsWriteAndOnlyAdminsManageTokens() {
    assertThat(endpoints)
        .filteredOn(e -> !READS.contains(e.verb()) && !managesTokens(e))
        .allSatisfy(
            e -> assertThat(roles(e)).as("roles of %s", e).contains(Set.of(Role.OPERATOR_NAME)));
    assertThat(endpoints)
        .filteredOn(DeclaredRolesTest::managesTokens)
        .extracting(Endpoint::toString)
        .anyMatch(e -> e.startsWith("POST /api/v1/tokens "))
        .anyMatch(e -> e.startsWith("GET /api/v1/tokens "))
        .anyMatch(e -> e.startsWith("DELETE /api/v1/tokens/{name} "));
    assertThat(endpoints)
        .filteredOn(DeclaredRolesTest::managesTokens)
        .allSatisfy(
            e -> assertThat(roles(e)).as("roles of %s", e).contains(Set.of(Role.ADMIN_NAME)));
  }

  /** Every token endpoint but {@code /self}, which tells any token who it is. */
  private static boolean managesTokens(Endpoint endpoint) {
    return endpoint.path().startsWith("/api/v1/tokens")
        && !endpoint.path().equals("/api/v1/tokens/self");
  }

  @Test
  void anAdminHoldsEveryRoleAnOperatorHoldsAndNoOtherRoleHoldsAdmin() {
    assertThat(Role.ADMIN.securityRoles())
        .containsExactlyInAnyOrder(Role.ADMIN_NAME, Role.OPERATOR_NAME);
    assertThat(Role.OPERATOR.securityRoles()).containsExactly(Role.OPERATOR_NAME);
    assertThat(Role.VIEWER.securityRoles()).containsExactly(Role.VIEWER_NAME);
  }

  @Test
  void rolesAreOnlyTheTokensRoles() {
    Set<String> known =
        Set.of(Role.ADMIN.wireName(), Role.OPERATOR.wireName(), Role.VIEWER.wireName());
    assertThat(Set.of(Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.VIEWER_NAME)).isEqualTo(known);
    assertThat(endpoints)
        .allSatisfy(
            e -> assertThat(roles(e).orElse(Set.of())).as("roles of %s", e).isSubsetOf(known));
  }
}
