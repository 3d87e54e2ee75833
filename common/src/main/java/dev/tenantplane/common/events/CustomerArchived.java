package dev.tenantplane.common.events;

import java.util.List;

/**
 * A deprovisioning without purge is done: the customer's containers and network are gone, while its
 * volumes, the backup taken before the containers went ({@code backupFile}), its folder and its
 * allocation (ports, subnet, sealed credentials) are kept until it is purged.
 *
 * @param volumes the kept volumes with the space each uses
 */
public record CustomerArchived(EventMeta meta, String backupFile, List<ArchivedVolume> volumes)
    implements LifecycleEvent {

  public CustomerArchived {
    volumes = List.copyOf(volumes);
  }

  /** A kept volume and the bytes it uses on its engine (-1 when the engine did not say). */
  public record ArchivedVolume(String name, long bytes) {}
}
