package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.tenantplane.common.events.CustomerArchived.ArchivedVolume;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.docker.VolumeUsage;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stops, starts, restarts and removes a customer's containers, network and volumes. Each operation
 * is idempotent (what is already stopped, started or gone is fine) and touches only what carries
 * the customer's label.
 */
@ApplicationScoped
public class StackOperations {
  private final DockerClient docker;
  private final VolumeUsage volumeUsage;
  private final ProvisionerSettings settings;

  public StackOperations(
      DockerClient docker, VolumeUsage volumeUsage, ProvisionerSettings settings) {
    this.docker = docker;
    this.volumeUsage = volumeUsage;
    this.settings = settings;
  }

  /** Stops the customer's containers, worker first; stopped or missing ones are fine. */
  public void stop(TenantNames names) throws StepException {
    stop(names, Engine.reversed(names.containers()));
  }

  /** Stops these containers of the customer, in this order; stopped or missing ones are fine. */
  public void stop(TenantNames names, List<String> containers) throws StepException {
    int seconds = (int) settings.stopTimeout().toSeconds();
    for (String container : containers) {
      if (Engine.ownedContainer(docker, names, container) == null) {
        continue;
      }
      Engine.call(
          names.customerId(),
          "stop " + container,
          () -> {
            try {
              docker.stopContainerCmd(container).withTimeout(seconds).exec();
            } catch (NotModifiedException | NotFoundException alreadyStopped) {
              // Already stopped, or gone meanwhile: the desired state holds.
            }
          });
    }
  }

  /** Restarts one container of the customer; refuses names that are not the customer's. */
  public void restart(TenantNames names, String container) throws StepException {
    if (!names.containers().contains(container)
        || Engine.ownedContainer(docker, names, container) == null) {
      throw new StepException(
          "customer " + names.customerId() + ": no container " + container + " to restart",
          false,
          "step=restart customer=" + names.customerId() + " container=" + container);
    }
    Engine.call(
        names.customerId(),
        "restart " + container,
        () ->
            docker
                .restartContainerCmd(container)
                .withTimeout((int) settings.stopTimeout().toSeconds())
                .exec());
  }

  /** Removes the containers and the network; with {@code purge} the volumes too. */
  public void remove(TenantNames names, boolean purge) throws StepException {
    String id = names.customerId();
    List<String> containers = new ArrayList<>(Engine.reversed(names.containers()));
    containers.add(names.backupCheckContainer());
    for (String container : containers) {
      if (Engine.ownedContainer(docker, names, container) != null) {
        Engine.call(
            id,
            "remove " + container,
            () -> {
              try {
                docker
                    .removeContainerCmd(container)
                    .withForce(true)
                    .withRemoveVolumes(false)
                    .exec();
              } catch (NotFoundException gone) {
                // Removed meanwhile.
              }
            });
      }
    }
    for (Network network : Engine.labelledNetworks(docker, id)) {
      Engine.call(
          id,
          "remove network " + network.getName(),
          () -> {
            try {
              docker.removeNetworkCmd(network.getId()).exec();
            } catch (NotFoundException gone) {
              // Removed meanwhile.
            }
          });
    }
    if (purge) {
      for (String volume : Engine.labelledVolumes(docker, id)) {
        Engine.call(
            id,
            "remove volume " + volume,
            () -> {
              try {
                docker.removeVolumeCmd(volume).exec();
              } catch (NotFoundException gone) {
                // Removed meanwhile.
              }
            });
      }
    }
  }

  /** Names of containers, networks and volumes still labelled for the customer. */
  public List<String> leftovers(String customerId, boolean includeVolumes) {
    List<String> left = new ArrayList<>();
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(TenantNames.CUSTOMER_LABEL, customerId))
            .exec()) {
      left.add("container " + String.join(",", c.getNames()));
    }
    Engine.labelledNetworks(docker, customerId).forEach(n -> left.add("network " + n.getName()));
    if (includeVolumes) {
      Engine.labelledVolumes(docker, customerId).forEach(v -> left.add("volume " + v));
    }
    return left;
  }

  /** The volumes still labelled for the customer, with the space each uses. */
  public List<ArchivedVolume> volumeUsage(TenantNames names, String step) throws StepException {
    String id = names.customerId();
    List<String> volumes = Engine.labelledVolumes(docker, id);
    Map<String, Long> bytes =
        Engine.get(id, "measure volumes (" + step + ")", () -> volumeUsage.bytes(volumes));
    return volumes.stream()
        .map(v -> new ArchivedVolume(v, bytes.getOrDefault(v, VolumeUsage.UNKNOWN)))
        .toList();
  }

  /** Whether the container exists and is running. */
  public boolean isRunning(String container) {
    try {
      return Boolean.TRUE.equals(
          docker.inspectContainerCmd(container).exec().getState().getRunning());
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Whether a container of that name exists, labelled for this customer. */
  public boolean exists(TenantNames names, String container) {
    return Engine.ownedContainer(docker, names, container) != null;
  }

  public boolean volumeExists(String volume) {
    try {
      docker.inspectVolumeCmd(volume).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Starts a stopped container; a running one is left alone. */
  public void start(String customerId, String container) throws StepException {
    Engine.call(
        customerId,
        "start " + container,
        () -> {
          try {
            docker.startContainerCmd(container).exec();
          } catch (NotModifiedException alreadyRunning) {
            // Already running.
          }
        });
  }
}
