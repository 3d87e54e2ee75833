package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.stack.ComposeConfigHash;
import dev.tenantplane.provisioner.stack.ContainerPlan;
import dev.tenantplane.provisioner.stack.DockerSpec;
import dev.tenantplane.provisioner.stack.EnvFile;
import dev.tenantplane.provisioner.stack.StackPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Makes a customer's network, volumes and containers on the Docker engine match a {@link
 * StackPlan}: creates what is missing, starts what is stopped, and replaces a container created
 * from another plan (its spec-hash label differs). Running it again changes nothing. Only things
 * carrying the customer's label are ever touched.
 */
@ApplicationScoped
public class DockerStack {
  private static final Logger LOG = Logger.getLogger(DockerStack.class);
  private static final Set<String> STOPPED_STATES = Set.of("created", "exited", "dead");

  private final DockerClient docker;

  public DockerStack(DockerClient docker) {
    this.docker = docker;
  }

  /** Brings the stack to the plan, in start order (database and Redis before app and worker). */
  public void reconcile(StackPlan stack, EnvFile env, String step) throws StepException {
    String id = stack.names().customerId();
    ensureNetwork(stack, step);
    for (String volume : stack.volumes()) {
      Engine.call(id, "volume " + volume, () -> ensureVolume(volume, stack.labels()));
    }
    for (ContainerPlan container : stack.containers()) {
      try {
        ensureContainer(stack, container, env, step);
      } catch (NotFoundException e) {
        throw new StepException(
            "customer " + id + ": cannot create " + container.name() + ": " + e.getMessage(),
            false,
            "step=" + step + " customer=" + id + " image=" + container.image());
      } catch (DockerException | IllegalStateException e) {
        throw failure(id, container.name(), e, env.secretValues());
      }
    }
  }

  /**
   * Fails with the container's state and log tail when one of {@code containers} has stopped or is
   * restarting, so a wait for readiness ends early with the reason.
   */
  public void failIfNotRunning(
      TenantNames names, List<String> containers, List<String> secretValues) throws StepException {
    for (String container : containers) {
      InspectContainerResponse.ContainerState state;
      try {
        state = docker.inspectContainerCmd(container).exec().getState();
      } catch (NotFoundException e) {
        throw new StepException(
            "customer " + names.customerId() + ": container " + container + " disappeared",
            true,
            "container=" + container + " state=missing");
      }
      if (!Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting())) {
        throw new StepException(
            "customer " + names.customerId() + ": container " + container + " is not running",
            true,
            ContainerDiagnostics.describe(docker, container, secretValues));
      }
    }
  }

  /** The state and log tail of a container, scrubbed of secrets. */
  public String diagnose(String container, List<String> secretValues) {
    return ContainerDiagnostics.describe(docker, container, secretValues);
  }

  /**
   * Makes the customer's network exist with the subnet of its plan. A network of the customer with
   * another subnet (one made before subnets were recorded) is replaced when no container runs on
   * it: the customer's stopped containers on it go too, since they would keep pointing at the
   * removed network, and the rest of the reconcile recreates them from the plan (volumes are kept).
   * While a container runs on it the step fails for good rather than cut a live stack off its
   * network; suspending and resuming the customer moves the stack.
   */
  public void ensureNetwork(StackPlan stack, String step) throws StepException {
    String id = stack.names().customerId();
    String name = stack.network();
    Network existing =
        Engine.get(
            id,
            "list network " + name,
            () ->
                docker.listNetworksCmd().withNameFilter(name).exec().stream()
                    .filter(n -> name.equals(n.getName()))
                    .findFirst()
                    .orElse(null));
    if (existing != null) {
      Subnet actual = ipv4Subnet(existing);
      if (stack.subnet().equals(actual)) {
        return;
      }
      if (existing.getLabels() == null
          || !id.equals(existing.getLabels().get(TenantNames.CUSTOMER_LABEL))) {
        throw new StepException(
            "customer " + id + ": a network named " + name + " exists but is not theirs",
            false,
            "step=" + step + " customer=" + id + " network=" + name);
      }
      replaceNetwork(stack, existing, actual, step);
    }
    createNetwork(stack, step);
  }

  private void replaceNetwork(StackPlan stack, Network existing, Subnet actual, String step)
      throws StepException {
    String id = stack.names().customerId();
    String name = stack.network();
    List<Container> attached =
        Engine.get(
            id,
            "list containers on network " + name,
            () ->
                docker
                    .listContainersCmd()
                    .withShowAll(true)
                    .withNetworkFilter(List.of(existing.getId()))
                    .exec());
    List<String> blocking = new ArrayList<>();
    for (Container container : attached) {
      boolean theirs =
          container.getLabels() != null
              && id.equals(container.getLabels().get(TenantNames.CUSTOMER_LABEL));
      if (!theirs || !STOPPED_STATES.contains(container.getState())) {
        blocking.add(
            String.join(",", container.getNames()).replace("/", "")
                + " ("
                + container.getState()
                + ")");
      }
    }
    if (!blocking.isEmpty()) {
      throw new StepException(
          "customer "
              + id
              + ": network "
              + name
              + " has subnet "
              + actual
              + " but the allocation records "
              + stack.subnet()
              + ", and it is in use by "
              + String.join(", ", blocking)
              + "; suspend and resume the customer to rebuild its stack on "
              + stack.subnet(),
          false,
          "step="
              + step
              + " customer="
              + id
              + " network="
              + name
              + " actual_subnet="
              + actual
              + " recorded_subnet="
              + stack.subnet());
    }
    for (Container container : attached) {
      Engine.call(
          id,
          "remove stopped container " + container.getId(),
          () -> {
            try {
              docker
                  .removeContainerCmd(container.getId())
                  .withForce(true)
                  .withRemoveVolumes(false)
                  .exec();
            } catch (NotFoundException gone) {
              // Removed meanwhile.
            }
          });
    }
    Engine.call(
        id,
        "remove network " + name,
        () -> {
          try {
            docker.removeNetworkCmd(existing.getId()).exec();
          } catch (NotFoundException gone) {
            // Removed meanwhile.
          }
        });
    LOG.infof(
        "customer=%s step=%s action=network-replaced network=%s from=%s to=%s containers=%d",
        id, step, name, actual, stack.subnet(), attached.size());
  }

  private void createNetwork(StackPlan stack, String step) throws StepException {
    String id = stack.names().customerId();
    Subnet subnet = stack.subnet();
    Network.Ipam ipam =
        new Network.Ipam()
            .withConfig(
                new Network.Ipam.Config()
                    .withSubnet(subnet.toString())
                    .withGateway(subnet.gateway()));
    try {
      Engine.call(
          id,
          "create network " + stack.network(),
          () ->
              docker
                  .createNetworkCmd()
                  .withName(stack.network())
                  .withDriver("bridge")
                  .withCheckDuplicate(true)
                  .withIpam(ipam)
                  .withLabels(stack.labels())
                  .exec());
    } catch (StepException e) {
      // The table keeps recorded subnets apart; an overlap means a network it does not know took
      // the subnet after it was chosen. Retrying would meet the same network.
      if (e.getCause() instanceof DockerException cause
          && cause.getMessage() != null
          && cause.getMessage().contains("overlaps")) {
        throw new StepException(
            "customer "
                + id
                + ": its subnet "
                + subnet
                + " overlaps a network on the engine that the control plane does not know: "
                + String.join(", ", overlapping(subnet)),
            false,
            "step="
                + step
                + " customer="
                + id
                + " network="
                + stack.network()
                + " subnet="
                + subnet,
            cause);
      }
      throw e;
    }
    LOG.infof(
        "customer=%s step=%s action=network-created network=%s subnet=%s",
        id, step, stack.network(), subnet);
  }

  private List<String> overlapping(Subnet subnet) {
    try {
      return docker.listNetworksCmd().exec().stream()
          .filter(
              n -> {
                Subnet other = ipv4Subnet(n);
                return other != null && other.overlaps(subnet);
              })
          .map(n -> n.getName() + " " + ipv4Subnet(n))
          .toList();
    } catch (RuntimeException e) {
      return List.of("(cannot list networks: " + e.getMessage() + ")");
    }
  }

  private static Subnet ipv4Subnet(Network network) {
    if (network.getIpam() == null || network.getIpam().getConfig() == null) {
      return null;
    }
    return network.getIpam().getConfig().stream()
        .map(c -> Subnet.parseOrNull(c.getSubnet()))
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private void ensureVolume(String volume, Map<String, String> labels) {
    try {
      docker.inspectVolumeCmd(volume).exec();
    } catch (NotFoundException e) {
      docker.createVolumeCmd().withName(volume).withLabels(labels).exec();
    }
  }

  private void ensureContainer(StackPlan stack, ContainerPlan plan, EnvFile env, String step)
      throws StepException {
    String id = stack.names().customerId();
    String desired = plan.specHash();
    InspectContainerResponse actual = Engine.inspectOrNull(docker, plan.name());
    if (actual != null) {
      Map<String, String> labels = actual.getConfig().getLabels();
      if (labels == null || !id.equals(labels.get(TenantNames.CUSTOMER_LABEL))) {
        throw new StepException(
            "customer " + id + ": a container named " + plan.name() + " exists but is not theirs",
            false,
            "container=" + plan.name() + " step=" + step);
      }
      if (!desired.equals(labels.get(DockerSpec.SPEC_HASH_LABEL))) {
        docker.removeContainerCmd(plan.name()).withForce(true).withRemoveVolumes(false).exec();
        LOG.infof(
            "customer=%s step=%s action=container-replaced container=%s spec=%s",
            id, step, plan.name(), desired);
        actual = null;
      }
    }
    if (actual == null) {
      create(stack, plan, env);
      LOG.infof(
          "customer=%s step=%s action=container-created container=%s spec=%s",
          id, step, plan.name(), desired);
    }
    if (actual == null || !Boolean.TRUE.equals(actual.getState().getRunning())) {
      try {
        docker.startContainerCmd(plan.name()).exec();
      } catch (NotModifiedException alreadyRunning) {
        // Started meanwhile, e.g. by its restart policy.
      }
    }
  }

  private void create(StackPlan stack, ContainerPlan plan, EnvFile env) {
    long memory = plan.limits().memoryMiB() * 1024L * 1024L;
    HostConfig host =
        HostConfig.newHostConfig()
            .withMemory(memory)
            .withMemorySwap(memory)
            .withNanoCPUs(Math.round(plan.limits().cpus() * 1_000_000_000d))
            .withPidsLimit((long) plan.limits().pids())
            .withCapDrop(Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
            .withNetworkMode(stack.network())
            .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, DockerSpec.LOG_OPTIONS));
    List<ExposedPort> exposed = new ArrayList<>();
    plan.port()
        .ifPresent(
            p -> {
              ExposedPort port = ExposedPort.tcp(p.containerPort());
              exposed.add(port);
              host.withPortBindings(
                  new PortBinding(Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()), port));
            });
    List<Bind> binds = new ArrayList<>();
    plan.volume().ifPresent(v -> binds.add(new Bind(v.volume(), new Volume(v.path()))));
    // The secrets, read-only files in /run/secrets, readable through the group they are given.
    plan.secrets()
        .forEach(
            m -> binds.add(new Bind(m.source().toString(), new Volume(m.target()), AccessMode.ro)));
    host.withBinds(binds).withGroupAdd(plan.groups());

    CreateContainerCmd create =
        docker
            .createContainerCmd(plan.image())
            .withName(plan.name())
            .withHostName(plan.name())
            .withEnv(env.environmentOf(plan))
            .withLabels(labels(stack, plan, env))
            .withExposedPorts(exposed)
            .withAliases(plan.name())
            .withHostConfig(host);
    plan.healthCheck()
        .ifPresent(
            check ->
                create.withHealthcheck(
                    new HealthCheck()
                        .withTest(List.of("CMD-SHELL", check))
                        .withInterval(DockerSpec.HEALTH_INTERVAL.toNanos())
                        .withTimeout(DockerSpec.HEALTH_TIMEOUT.toNanos())
                        .withStartPeriod(DockerSpec.HEALTH_START_PERIOD.toNanos())
                        .withRetries(DockerSpec.HEALTH_RETRIES)));
    create.exec();
  }

  /**
   * The plan's labels plus compose's own, so that {@code docker-compose ps} in the folder lists the
   * container and {@code docker-compose up -d} finds it up to date.
   */
  private Map<String, String> labels(StackPlan stack, ContainerPlan plan, EnvFile env) {
    Map<String, String> labels = new LinkedHashMap<>(plan.containerLabels());
    labels.put("com.docker.compose.project", stack.names().composeProject());
    labels.put("com.docker.compose.service", plan.service());
    labels.put("com.docker.compose.oneoff", "False");
    labels.put("com.docker.compose.container-number", "1");
    labels.put("com.docker.compose.version", ComposeConfigHash.COMPOSE_VERSION);
    labels.put(
        "com.docker.compose.config-hash",
        ComposeConfigHash.of(
            stack,
            plan,
            env.resolvedEnvironment(plan),
            docker.inspectImageCmd(plan.image()).exec().getId()));
    return labels;
  }

  private StepException failure(
      String customerId, String container, RuntimeException e, List<String> secretValues) {
    return new StepException(
        "customer " + customerId + ": docker failed on " + container + ": " + e.getMessage(),
        true,
        ContainerDiagnostics.describe(docker, container, secretValues),
        e);
  }
}
