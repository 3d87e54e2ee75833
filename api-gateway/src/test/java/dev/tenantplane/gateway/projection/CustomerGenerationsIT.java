package dev.tenantplane.gateway.projection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisionRequested;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.CustomerReady;
import dev.tenantplane.common.events.CustomerRequested;
import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.EventType;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.common.testing.BusProbe;
import dev.tenantplane.common.testing.InfrastructureResource;
import dev.tenantplane.common.testing.TestInfrastructure;
import dev.tenantplane.gateway.LifecycleScript;
import dev.tenantplane.gateway.TestCustomers;
import dev.tenantplane.gateway.api.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer id lives again: requested anew once its customer was purged, or brought back from
 * ARCHIVED. Each life is a generation; events of an ended one stay in the timeline and change
 * nothing else.
 */
@QuarkusTest
@QuarkusTestResource(
    value = InfrastructureResource.class,
    initArgs = @ResourceArg(name = "needs", value = "postgres,redis"))
class CustomerGenerationsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private BusProbe bus;
  private LifecycleScript script;

  @BeforeEach
  void openProbe() {
    bus =
        new BusProbe(
            TestInfrastructure.kafka().bootstrapServers(),
            List.of(EventType.CUSTOMER_REQUESTED.topic()));
    script = new LifecycleScript(bus);
  }

  @AfterEach
  void closeProbe() {
    bus.close();
  }

  @Test
  void aPurgedIdIsRequestedAgainAsItsNextGenerationAndLateEventsOfItsEndedLifeChangeNothing() {
    String id = TestCustomers.id("reuse");
    CustomerRequested first = script.request(id);
    assertThat(first.meta().generation()).isEqualTo(1);
    script.publishProvisioningUpTo(first, 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));
    operator().delete("/api/v1/customers/" + id + "?purge=true").then().statusCode(202);
    CustomerDeprovisionRequested purge = awaitFor(CustomerDeprovisionRequested.class, id, 1);
    assertThat(purge.meta().generation()).isEqualTo(1);
    requestAs(id, "Second Life").statusCode(409).body(containsString("DEPROVISIONING"));
    bus.publish(new CustomerDeprovisioned(purge.meta().next(LifecycleScript.CLOCK)));
    awaitCustomer(id, c -> "DEPROVISIONED".equals(c.getString("status")));

    requestAs(id, "Second Life").statusCode(202);
    CustomerRequested second = awaitFor(CustomerRequested.class, id, 2);
    assertThat(second.name()).isEqualTo("Second Life");
    JsonPath renewed = awaitCustomer(id, c -> c.getInt("generation") == 2);
    assertThat(renewed.getString("status")).isEqualTo("REQUESTED");
    assertThat(renewed.getString("name")).isEqualTo("Second Life");
    assertThat(renewed.getString("ports")).as("the ended life's ports").isNull();
    assertThat(renewed.getString("health")).as("the ended life's health").isNull();

    LifecycleEvent late = new CustomerReady(first.meta().next(LifecycleScript.CLOCK), 1000);
    bus.publish(late);
    JsonPath afterLate =
        awaitCustomer(
            id,
            c ->
                c.getList("timeline.eventId", String.class)
                    .contains(late.meta().eventId().toString()));
    assertThat(afterLate.getString("status"))
        .as("a late event of generation 1")
        .isEqualTo("REQUESTED");
    assertThat(afterLate.getString("health")).isNull();
    assertThat(afterLate.getList("timeline.generation", Integer.class)).contains(1, 2);

    script.publishProvisioningUpTo(second, 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));
    requestAs(id, "Third").statusCode(409).body(containsString("already exists"));
  }

  @Test
  void anArchivedCustomerIsBroughtBackWithItsNameAndPortsAndItsCommandsCarryTheNewGeneration() {
    String id = script.readyCustomer("unarchive");
    operator().delete("/api/v1/customers/" + id).then().statusCode(202);
    CustomerDeprovisionRequested archive = awaitFor(CustomerDeprovisionRequested.class, id, 1);
    bus.publish(
        new CustomerArchived(
            archive.meta().next(LifecycleScript.CLOCK),
            "customers/" + id + "/backups/x-archive.sql",
            List.of(new CustomerArchived.ArchivedVolume(id + "_db_data", 1_000))));
    JsonPath archived = awaitCustomer(id, c -> "ARCHIVED".equals(c.getString("status")));

    requestAs(id, "Customer " + id).statusCode(409).body(containsString("unarchive"));
    given()
        .auth()
        .oauth2(Tokens.create("viewer").token())
        .post("/api/v1/customers/" + id + "/unarchive")
        .then()
        .statusCode(403);
    operator()
        .post("/api/v1/customers/" + TestCustomers.id("none") + "/unarchive")
        .then()
        .statusCode(404);
    operator().post("/api/v1/customers/" + id + "/unarchive").then().statusCode(202);
    operator().post("/api/v1/customers/" + id + "/unarchive").then().statusCode(409);

    CustomerRequested back = awaitFor(CustomerRequested.class, id, 2);
    assertThat(back.name()).isEqualTo(archived.getString("name"));
    assertThat(back.plan()).isEqualTo(archived.getString("plan"));
    JsonPath requested = awaitCustomer(id, c -> c.getInt("generation") == 2);
    assertThat(requested.getString("status")).isEqualTo("REQUESTED");
    assertThat(requested.getString("archive")).as("no longer an archive").isNull();
    assertThat(requested.getInt("ports.app"))
        .as("the kept ports")
        .isEqualTo(archived.getInt("ports.app"));

    script.publishProvisioningUpTo(back, 5);
    awaitCustomer(id, c -> "READY".equals(c.getString("status")));
    operator().post("/api/v1/customers/" + id + "/suspend").then().statusCode(202);
    assertThat(awaitFor(CustomerSuspendRequested.class, id, 2).meta().generation()).isEqualTo(2);
  }

  private io.restassured.response.ValidatableResponse requestAs(String id, String name) {
    return operator()
        .body(Map.of("id", id, "name", name, "plan", "small"))
        .post("/api/v1/customers")
        .then();
  }

  private <E extends LifecycleEvent> E awaitFor(Class<E> type, String id, int generation) {
    Predicate<E> wanted = e -> e.customerId().equals(id) && e.meta().generation() == generation;
    return bus.await(type, events -> events.stream().anyMatch(wanted), WAIT).stream()
        .filter(wanted)
        .findFirst()
        .orElseThrow();
  }

  private static JsonPath awaitCustomer(String id, Predicate<JsonPath> condition) {
    return TestCustomers.await(id, condition);
  }

  private static RequestSpecification operator() {
    return given().auth().oauth2(Tokens.admin()).contentType("application/json");
  }
}
