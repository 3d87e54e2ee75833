package dev.tenantplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * An operator asked for the customer's stack to be put back to backup {@code backupId}: its
 * PostgreSQL and Redis replaced by the backup's, then migrated to the current schema. {@code
 * schemaVersion} (null before any migration) and the two checksums are the ones recorded when the
 * backup was written; a file that no longer matches, or a backup at a schema newer than the live
 * database's, is not restored.
 *
 * <p>{@code sourceCustomerId} (added within v1; absent reads as null, null is not written) names
 * the customer whose backup it is, when that is another customer: a clone of the source's data into
 * this customer's stack, for support or staging. Null means the customer's own backup, as before.
 * The event is the target's: its stream, its timeline, its stack.
 */
public record RestoreRequested(
    EventMeta meta,
    UUID backupId,
    String schemaVersion,
    String databaseSha256,
    String redisSha256,
    @JsonInclude(JsonInclude.Include.NON_NULL) String sourceCustomerId)
    implements LifecycleEvent {

  /** A restore of the customer's own backup, as producers before clones sent it. */
  public RestoreRequested(
      EventMeta meta,
      UUID backupId,
      String schemaVersion,
      String databaseSha256,
      String redisSha256) {
    this(meta, backupId, schemaVersion, databaseSha256, redisSha256, null);
  }

  /** The customer whose backup folder holds the backup: the source of a clone, else this one. */
  public String backupOwner() {
    return sourceCustomerId == null ? customerId() : sourceCustomerId;
  }

  /** Whether the backup is another customer's (a clone). */
  public boolean copiesAnotherCustomer() {
    return sourceCustomerId != null && !sourceCustomerId.equals(customerId());
  }
}
