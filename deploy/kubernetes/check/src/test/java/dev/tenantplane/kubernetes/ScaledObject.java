package dev.tenantplane.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The part of KEDA's {@code keda.sh/v1alpha1} ScaledObject these manifests use; fabric8 has no
 * model of it. Read strictly, so a field KEDA would not know (or this model does not expect) fails.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

  record Spec(
      TargetRef scaleTargetRef,
      Integer minReplicaCount,
      Integer maxReplicaCount,
      Integer pollingInterval,
      Integer cooldownPeriod,
      List<Trigger> triggers) {}

  record TargetRef(String apiVersion, String kind, String name) {}

  /** KEDA's trigger metadata is a map of strings whose keys depend on the scaler type. */
  record Trigger(String type, String name, Map<String, String> metadata) {}
}
