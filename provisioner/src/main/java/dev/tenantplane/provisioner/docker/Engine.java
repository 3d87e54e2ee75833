package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Engine look-ups and error handling shared by the classes that act on a customer's stack. */
final class Engine {
  private Engine() {}

  static InspectContainerResponse inspectOrNull(DockerClient docker, String container) {
    try {
      return docker.inspectContainerCmd(container).exec();
    } catch (NotFoundException e) {
      return null;
    }
  }

  /** The container, if it exists and carries the customer's label. */
  static InspectContainerResponse ownedContainer(
      DockerClient docker, TenantNames names, String container) {
    InspectContainerResponse inspected = inspectOrNull(docker, container);
    if (inspected == null) {
      return null;
    }
    Map<String, String> labels = inspected.getConfig().getLabels();
    return labels != null && names.customerId().equals(labels.get(TenantNames.CUSTOMER_LABEL))
        ? inspected
        : null;
  }

  static List<Network> labelledNetworks(DockerClient docker, String customerId) {
    return docker
        .listNetworksCmd()
        .withFilter("label", List.of(TenantNames.CUSTOMER_LABEL + "=" + customerId))
        .exec();
  }

  static List<String> labelledVolumes(DockerClient docker, String customerId) {
    var response =
        docker
            .listVolumesCmd()
            .withFilter("label", List.of(TenantNames.CUSTOMER_LABEL + "=" + customerId))
            .exec();
    return response.getVolumes() == null
        ? List.of()
        : response.getVolumes().stream().map(v -> v.getName()).filter(Objects::nonNull).toList();
  }

  /** Runs one engine call; engine and transport errors become retryable step failures. */
  static void call(String customerId, String what, Runnable action) throws StepException {
    get(
        customerId,
        what,
        () -> {
          action.run();
          return null;
        });
  }

  /** As {@link #call}, for a call that answers. */
  static <T> T get(String customerId, String what, Supplier<T> action) throws StepException {
    try {
      return action.get();
    } catch (DockerException | IllegalStateException e) {
      throw new StepException(
          "customer " + customerId + ": docker failed to " + what + ": " + e.getMessage(),
          true,
          "customer=" + customerId + " action=" + what,
          e);
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + customerId + ": docker engine unreachable during " + what,
          true,
          "customer=" + customerId + " action=" + what + " error=" + e.getClass().getSimpleName(),
          e);
    }
  }

  static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }
}
