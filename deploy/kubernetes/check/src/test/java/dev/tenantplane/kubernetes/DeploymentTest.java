package dev.tenantplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentTest {
  private static final long SERVICE_USER = 10001;
  private final Manifests base = Manifests.load();

  static java.util.Set<String> services() {
    return Repo.servicePorts().keySet();
  }

  private Container container(String service) {
    Deployment d = base.deployment(service);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers())
        .as("Deployment " + service + " containers")
        .hasSize(1);
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private Map<String, String> podLabels(String service) {
    return base.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
  }

  @ParameterizedTest
  @MethodSource("services")
  void runsTheServicesImageOnItsPortReachableByTheKubelet(String service) {
    Container c = container(service);
    int port = Repo.servicePorts().get(service);
    assertThat(c.getImage()).as("Deployment " + service + " image").isEqualTo(Repo.image(service));
    assertThat(c.getPorts())
        .as("Deployment " + service + " ports")
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http", port));
    Map<String, String> env = Env.literals(c);
    assertThat(env)
        .as("Deployment " + service + " env")
        .containsEntry("TENANTPLANE_HTTP_PORT", String.valueOf(port))
        // 127.0.0.1, the services' default, would hide the port from probes and the Service.
        .containsEntry("TENANTPLANE_HTTP_HOST", "0.0.0.0");
  }

  @ParameterizedTest
  @MethodSource("services")
  void probesReadinessAndLivenessOnTheQuarkusHealthPaths(String service) {
    Container c = container(service);
    assertHttpProbe(service, "readinessProbe", c.getReadinessProbe(), "/q/health/ready");
    assertHttpProbe(service, "livenessProbe", c.getLivenessProbe(), "/q/health/live");
  }

  private static void assertHttpProbe(String service, String field, Probe probe, String path) {
    assertThat(probe).as("Deployment " + service + " " + field).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get).as("Deployment " + service + " " + field + ".httpGet").isNotNull();
    assertThat(get.getPath()).as("Deployment " + service + " " + field + " path").isEqualTo(path);
    assertThat(get.getPort().getStrVal())
        .as("Deployment " + service + " " + field + " port")
        .isEqualTo("http");
  }

  @ParameterizedTest
  @MethodSource("services")
  void requestsAndLimitsCpuAndMemoryAsTheContainerHasToday(String service) {
    var resources = container(service).getResources();
    String where = "Deployment " + service + " resources";
    assertThat(resources).as(where).isNotNull();
    Map<String, Quantity> limits = resources.getLimits();
    Map<String, Quantity> requests = resources.getRequests();
    assertThat(limits).as(where + ".limits").containsKeys("cpu", "memory");
    assertThat(requests).as(where + ".requests").containsKeys("cpu", "memory");
    assertThat(bytes(limits.get("memory")))
        .as(where + ".limits.memory")
        .isEqualByComparingTo(bytes(new Quantity(Repo.memoryLimit())));
    assertThat(bytes(limits.get("cpu")))
        .as(where + ".limits.cpu")
        .isEqualByComparingTo(bytes(new Quantity(Repo.cpuLimit())));
    assertThat(bytes(requests.get("memory")))
        .as(where + ".requests.memory (the JVM's heap is a share of the limit)")
        .isEqualByComparingTo(bytes(limits.get("memory")));
    assertThat(bytes(requests.get("cpu")))
        .as(where + ".requests.cpu")
        .isPositive()
        .isLessThanOrEqualTo(bytes(limits.get("cpu")));
  }

  private static java.math.BigDecimal bytes(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }

  @ParameterizedTest
  @MethodSource("services")
  void runsUnprivilegedOnAReadOnlyRootWithATmpOfItsOwn(String service) {
    PodSpec pod = base.deployment(service).getSpec().getTemplate().getSpec();
    PodSecurityContext p =
        Objects.requireNonNullElseGet(pod.getSecurityContext(), PodSecurityContext::new);
    SecurityContext c = container(service).getSecurityContext();
    String where = "Deployment " + service + " securityContext";
    assertThat(c).as(where).isNotNull();
    assertThat(Objects.requireNonNullElse(c.getRunAsNonRoot(), p.getRunAsNonRoot()))
        .as(where + ".runAsNonRoot")
        .isTrue();
    assertThat(Objects.requireNonNullElse(c.getRunAsUser(), p.getRunAsUser()))
        .as(where + ".runAsUser")
        .isEqualTo(SERVICE_USER);
    assertThat(c.getReadOnlyRootFilesystem()).as(where + ".readOnlyRootFilesystem").isTrue();
    assertThat(c.getAllowPrivilegeEscalation()).as(where + ".allowPrivilegeEscalation").isFalse();
    assertThat(c.getCapabilities()).as(where + ".capabilities").isNotNull();
    assertThat(c.getCapabilities().getDrop())
        .as(where + ".capabilities.drop")
        .containsExactly("ALL");
    assertThat(c.getCapabilities().getAdd()).as(where + ".capabilities.add").isNullOrEmpty();
    var seccomp = c.getSeccompProfile() != null ? c.getSeccompProfile() : p.getSeccompProfile();
    assertThat(seccomp).as(where + ".seccompProfile").isNotNull();
    assertThat(seccomp.getType()).as(where + ".seccompProfile.type").isEqualTo("RuntimeDefault");

    String tmpVolume =
        container(service).getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .map(m -> m.getName())
            .findFirst()
            .orElseThrow(() -> new AssertionError("Deployment " + service + ": nothing on /tmp"));
    assertThat(pod.getVolumes())
        .as("Deployment " + service + " volume " + tmpVolume)
        .filteredOn(v -> v.getName().equals(tmpVolume))
        .singleElement()
        .extracting(Volume::getEmptyDir)
        .isNotNull();
  }

  @ParameterizedTest
  @MethodSource("services")
  void hasAServiceAndADisruptionBudgetSelectingItsPods(String service) {
    Map<String, String> pods = podLabels(service);
    assertSelects(
        "Deployment " + service + " selector",
        base.deployment(service).getSpec().getSelector().getMatchLabels(),
        pods);

    Service svc =
        base.all(Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals(service))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Service " + service));
    assertThat(svc.getSpec().getType()).as("Service " + service + " type").isIn(null, "ClusterIP");
    assertSelects("Service " + service + " selector", svc.getSpec().getSelector(), pods);
    assertThat(svc.getSpec().getPorts())
        .as("Service " + service + " ports")
        .anySatisfy(
            p -> {
              assertThat(p.getPort()).isEqualTo(Repo.servicePorts().get(service));
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });

    assertThat(base.all(PodDisruptionBudget.class))
        .as("a PodDisruptionBudget selecting the pods of " + service)
        .anySatisfy(
            pdb ->
                assertSelects(
                    "PodDisruptionBudget " + pdb.getMetadata().getName() + " selector",
                    pdb.getSpec().getSelector().getMatchLabels(),
                    pods));
  }

  private static void assertSelects(
      String where, Map<String, String> selector, Map<String, String> pods) {
    assertThat(selector).as(where).isNotEmpty();
    assertThat(pods)
        .as(where + " against the pod template's labels")
        .containsAllEntriesOf(selector);
  }
}
