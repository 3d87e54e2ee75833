package dev.tenantplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AutoscalingTest {
  /** Answers HTTP, so it scales on CPU; every other service scales on its consumers' lag. */
  static final String GATEWAY = "api-gateway";

  private final Manifests base = Manifests.load();

  static Set<String> consumerServices() {
    return Repo.servicePorts().keySet().stream()
        .filter(s -> !s.equals(GATEWAY))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private ScaledObject scaledObject(String service) {
    return base.all(ScaledObject.class).stream()
        .filter(o -> o.spec() != null && o.spec().scaleTargetRef() != null)
        .filter(o -> service.equals(o.spec().scaleTargetRef().name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ScaledObject scales Deployment " + service));
  }

  @ParameterizedTest
  @MethodSource("consumerServices")
  void scalesOnTheLagOfExactlyTheConsumerGroupsTheServiceDeclares(String service) {
    ScaledObject o = scaledObject(service);
    String where = "ScaledObject " + o.metadata().getName();
    Set<ServiceSettings.Consumer> declared = ServiceSettings.consumers(service);
    assertThat(declared)
        .as(service + "/src/main/resources/application.properties consumers")
        .isNotEmpty();
    assertThat(o.spec().triggers())
        .as(where + " triggers")
        .allSatisfy(
            t -> {
              assertThat(t.type()).as(where + " trigger type").isEqualTo("kafka");
              assertThat(t.metadata())
                  .as(where + " trigger metadata")
                  .containsKeys("bootstrapServers", "consumerGroup", "topic", "lagThreshold");
              assertThat(Integer.parseInt(t.metadata().get("lagThreshold")))
                  .as(where + " lagThreshold of " + t.metadata().get("consumerGroup"))
                  .isPositive();
            });
    Set<ServiceSettings.Consumer> triggered =
        o.spec().triggers().stream()
            .map(
                t ->
                    new ServiceSettings.Consumer(
                        t.metadata().get("consumerGroup"), t.metadata().get("topic")))
            .collect(Collectors.toSet());
    assertThat(triggered)
        .as(
            where
                + " (consumerGroup, topic) against the group.id/topic pairs of "
                + service
                + "'s application.properties")
        .containsExactlyInAnyOrderElementsOf(declared);
  }

  @ParameterizedTest
  @MethodSource("consumerServices")
  void readsLagFromTheBrokerTheServicesUse(String service) {
    String bootstrap = base.settings().getData().get("TENANTPLANE_KAFKA_BOOTSTRAP");
    ScaledObject o = scaledObject(service);
    assertThat(o.spec().triggers())
        .as(
            "ScaledObject "
                + o.metadata().getName()
                + " bootstrapServers, against ConfigMap TENANTPLANE_KAFKA_BOOTSTRAP")
        .allSatisfy(t -> assertThat(t.metadata().get("bootstrapServers")).isEqualTo(bootstrap));
    assertThat(o.spec().minReplicaCount())
        .as("ScaledObject " + o.metadata().getName() + " minReplicaCount")
        .isNotNull()
        .isPositive();
    assertThat(o.spec().maxReplicaCount())
        .as("ScaledObject " + o.metadata().getName() + " maxReplicaCount")
        .isNotNull()
        .isGreaterThanOrEqualTo(o.spec().minReplicaCount());
  }

  @Test
  void theGatewayScalesOnCpuAndNothingElseScalesIt() {
    assertThat(base.all(HorizontalPodAutoscaler.class))
        .as("HorizontalPodAutoscaler of " + GATEWAY)
        .filteredOn(h -> h.getSpec().getScaleTargetRef().getName().equals(GATEWAY))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
              assertThat(h.getSpec().getMinReplicas()).as("minReplicas").isPositive();
              assertThat(h.getSpec().getMetrics())
                  .as("HorizontalPodAutoscaler " + h.getMetadata().getName() + " metrics")
                  .anySatisfy(
                      m -> {
                        assertThat(m.getType()).isEqualTo("Resource");
                        assertThat(m.getResource().getName()).isEqualTo("cpu");
                      });
            });
    assertThat(base.all(ScaledObject.class))
        .as("ScaledObjects (KEDA's own HPA would fight the gateway's)")
        .noneMatch(o -> GATEWAY.equals(o.spec().scaleTargetRef().name()));
  }

  @Test
  void noDeploymentHasTwoAutoscalers() {
    var targets = new java.util.ArrayList<String>();
    base.all(ScaledObject.class).forEach(o -> targets.add(o.spec().scaleTargetRef().name()));
    base.all(HorizontalPodAutoscaler.class)
        .forEach(h -> targets.add(h.getSpec().getScaleTargetRef().getName()));
    assertThat(targets).as("autoscaler targets").doesNotHaveDuplicates();
  }
}
