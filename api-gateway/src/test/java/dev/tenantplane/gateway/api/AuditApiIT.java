package dev.tenantplane.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.gateway.TestCustomers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class AuditApiIT {

  @Test
  void theAuditTrailIsReadNewestFirstAndFilteredByActorCustomerActionAndTime() {
    // An admin's: it writes like an operator and also makes tokens, whose creation is audited.
    Tokens.Created writer = Tokens.create("admin");
    String first = TestCustomers.id("audit-a");
    String second = TestCustomers.id("audit-b");
    String requestedFirst = write(as(writer).body(customer(first)).post("/api/v1/customers"));
    String requestedSecond = write(as(writer).body(customer(second)).post("/api/v1/customers"));
    String deprovisioned = write(as(writer).delete("/api/v1/customers/" + first));
    String fleet =
        write(as(writer).body(Map.of("maxConcurrency", 1)).post("/api/v1/fleet/migrations"));
    String tokenName = "audited-" + first.substring(first.length() - 8);
    as(writer)
        .body(Map.of("name", tokenName, "role", "viewer"))
        .post("/api/v1/tokens")
        .then()
        .statusCode(201);

    JsonPath all = read(writer, Map.of("actor", writer.name()));
    assertThat(all.getInt("total")).isEqualTo(5);
    assertThat(all.getList("items.action", String.class))
        .containsExactly(
            "token-created",
            "fleet-migration-requested",
            "deprovision-requested",
            "customer-requested",
            "customer-requested");
    assertThat(all.getList("items.eventId", String.class))
        .containsExactly(null, fleet, deprovisioned, requestedSecond, requestedFirst);
    assertThat(all.getList("items.customerId", String.class))
        .containsExactly(null, "fleet", first, second, first);
    assertThat(all.getList("items.actor", String.class)).containsOnly(writer.name());
    assertThat(all.getList("items.detail", String.class).get(0)).contains(tokenName);
    assertThat(all.getList("items.detail", String.class).get(2)).isEqualTo("purge=false");
    assertThat(all.prettify()).doesNotContain(writer.token());

    assertThat(
            read(writer, Map.of("actor", writer.name(), "customer", first))
                .getList("items.action", String.class))
        .containsExactly("deprovision-requested", "customer-requested");
    assertThat(
            read(writer, Map.of("actor", writer.name(), "action", "customer-requested"))
                .getList("items.customerId", String.class))
        .containsExactly(second, first);
    assertThat(
            read(writer, Map.of("customer", "fleet", "actor", writer.name()))
                .getList("items.eventId", String.class))
        .containsExactly(fleet);
    String fleetAt = all.getString("items[1].at");
    assertThat(
            read(writer, Map.of("actor", writer.name(), "since", fleetAt))
                .getList("items.action", String.class))
        .containsExactly("token-created", "fleet-migration-requested");

    JsonPath secondPage = read(writer, Map.of("actor", writer.name(), "size", "2", "page", "1"));
    assertThat(secondPage.getInt("total")).isEqualTo(5);
    assertThat(secondPage.getInt("page")).isEqualTo(1);
    assertThat(secondPage.getInt("size")).isEqualTo(2);
    assertThat(secondPage.getList("items.eventId", String.class))
        .containsExactly(deprovisioned, requestedSecond);
  }

  @Test
  void aViewerReadsTheAuditTrailAndItsReadsAreNotWrites() {
    Tokens.Created viewer = Tokens.create("viewer");
    JsonPath page = read(viewer, Map.of("actor", viewer.name()));
    assertThat(page.getInt("total")).isZero();
    assertThat(page.getList("items")).isEmpty();
    given().get("/api/v1/audit").then().statusCode(401);
  }

  @Test
  void aBadFilterIsRefusedWithTheFieldItNames() {
    Tokens.Created viewer = Tokens.create("viewer");
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("actor=Not%20A%20Token", "actor"),
            Map.entry("actor=", "actor"),
            Map.entry("customer=UPPER-case", "customer"),
            Map.entry("customer=admin", "customer"),
            Map.entry("action=drop%3Btable", "action"),
            Map.entry("since=yesterday", "since"),
            Map.entry("since=2026-12-03T08:00:00", "since"),
            Map.entry("size=0", "size"),
            Map.entry("size=101", "size"),
            Map.entry("page=-1", "page"),
            Map.entry("actor=a&actor=b", "actor"));
    refused.forEach(
        (query, field) -> {
          List<String> fields =
              given()
                  .auth()
                  .oauth2(viewer.token())
                  .urlEncodingEnabled(false)
                  .get("/api/v1/audit?" + query)
                  .then()
                  .statusCode(400)
                  .extract()
                  .jsonPath()
                  .getList("errors.field", String.class);
          assertThat(fields).as(query).containsExactly(field);
        });
  }

  private static Map<String, Object> customer(String id) {
    return Map.of("id", id, "name", "Audit " + id);
  }

  private static RequestSpecification as(Tokens.Created token) {
    return given().auth().oauth2(token.token()).contentType("application/json");
  }

  private static String write(io.restassured.response.Response response) {
    return response.then().statusCode(202).extract().path("eventId");
  }

  private static JsonPath read(Tokens.Created token, Map<String, String> query) {
    return given()
        .auth()
        .oauth2(token.token())
        .queryParams(query)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
