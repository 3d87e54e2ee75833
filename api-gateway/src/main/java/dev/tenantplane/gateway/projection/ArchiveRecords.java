package dev.tenantplane.gateway.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.common.events.CustomerArchived;
import dev.tenantplane.common.events.CustomerDeprovisioned;
import dev.tenantplane.common.events.LifecycleEvent;
import dev.tenantplane.gateway.Sql;
import io.smallrye.mutiny.Uni;

/**
 * Records what an archived customer still holds, and forgets it when the customer is purged. Runs
 * inside the projection's transaction, after the status moved: an archive that a purge already
 * overtook (a redelivery) records nothing.
 */
final class ArchiveRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArchiveRecords() {}

  static Uni<Void> apply(LifecycleEvent event) {
    if (event instanceof CustomerArchived archived) {
      // Cast to text first: a String bound where jsonb is inferred is sent as a JSON string.
      return Sql.of(
              "UPDATE customer SET archive_backup_file = CAST(:backup AS text),"
                  + " archived_volumes = CAST(CAST(:volumes AS text) AS jsonb), updated_at = now()"
                  + " WHERE id = :id AND status = 'ARCHIVED'")
          .bind("backup", archived.backupFile())
          .bind("volumes", json(archived))
          .bind("id", event.customerId())
          .update()
          .replaceWithVoid();
    }
    if (event instanceof CustomerDeprovisioned) {
      return Sql.of(
              "UPDATE customer SET archive_backup_file = NULL, archived_volumes = NULL"
                  + " WHERE id = :id AND archived_volumes IS NOT NULL")
          .bind("id", event.customerId())
          .update()
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  private static String json(CustomerArchived archived) {
    try {
      return JSON.writeValueAsString(archived.volumes());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the archived volumes as JSON", e);
    }
  }
}
