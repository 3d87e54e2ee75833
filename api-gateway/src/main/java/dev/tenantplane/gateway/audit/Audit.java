package dev.tenantplane.gateway.audit;

import dev.tenantplane.gateway.Sql;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** The audit trail: who asked for what through the API. Call inside the request's transaction. */
public final class Audit {
  private Audit() {}

  public static Uni<Void> record(
      String actor, String action, String customerId, UUID eventId, String detail) {
    return Sql.of(
            "INSERT INTO audit (actor, action, customer_id, event_id, detail) VALUES (:actor,"
                + " :action, CAST(:customer AS text), CAST(:event AS uuid), CAST(:detail AS text))")
        .bind("actor", actor)
        .bind("action", action)
        .bind("customer", customerId)
        .bind("event", eventId)
        .bind("detail", detail)
        .update()
        .replaceWithVoid();
  }
}
