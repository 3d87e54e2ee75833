package dev.tenantplane.gateway.projection;

import java.util.Set;

/** Where a customer is in its lifecycle, as the gateway's projection sees it. */
public enum CustomerStatus {
  REQUESTED,
  ALLOCATED,
  CONTAINERS_STARTED,
  MIGRATED,
  ROUTED,
  READY,
  FAILED,
  SUSPENDED,
  /** Its data is being put back to a backup; it goes through migration and routing again. */
  RESTORING,
  DEPROVISIONING,
  /**
   * Deprovisioned without purge: no container runs, while its volumes, backups, files and ports are
   * kept until it is purged.
   */
  ARCHIVED,
  DEPROVISIONED;

  /** Statuses after which the live event stream of a customer ends. */
  public static final Set<CustomerStatus> STREAM_ENDS =
      Set.of(READY, FAILED, ARCHIVED, DEPROVISIONED);
}
