package dev.tenantplane.provisioner.lifecycle;

import dev.tenantplane.common.crypto.TenantSecrets;
import dev.tenantplane.common.events.EventMeta;
import dev.tenantplane.common.events.PortAssignment;
import dev.tenantplane.common.naming.Plan;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.common.retry.RetryPolicy;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.allocation.Withdrawals;
import dev.tenantplane.provisioner.driver.StackDriver;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.stack.CustomerFolder;
import dev.tenantplane.provisioner.stack.EnvFile;
import dev.tenantplane.provisioner.stack.ReadinessProbe;
import dev.tenantplane.provisioner.stack.StackPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Brings a customer's stack up as planned (files, network, volumes, containers) and waits until its
 * PostgreSQL and Redis answer. Shared by the start and resume steps; safe to repeat. Nothing is
 * built for a life of the customer whose withdrawal is recorded (see {@link Withdrawals}).
 */
@ApplicationScoped
public class StackLauncher {
  private static final Logger LOG = Logger.getLogger(StackLauncher.class);
  // A warm database answers within milliseconds, so the first checks come quickly; a cold one
  // takes seconds, so the pause doubles up to a rate that does not load the machine.
  private static final RetryPolicy READINESS_POLLS =
      RetryPolicy.unlimited(Duration.ofMillis(25), 2, Duration.ofMillis(500));

  private final ProvisionerSettings settings;
  private final CustomerFolder folder;
  private final StackDriver driver;
  private final Withdrawals withdrawals;

  public StackLauncher(
      ProvisionerSettings settings,
      CustomerFolder folder,
      StackDriver driver,
      Withdrawals withdrawals) {
    this.settings = settings;
    this.folder = folder;
    this.driver = driver;
    this.withdrawals = withdrawals;
  }

  public StackPlan plan(
      TenantNames names, String customerName, Plan plan, PortAssignment ports, Subnet subnet) {
    ProvisionerSettings.Images images = settings.images();
    return StackPlan.of(
        names,
        customerName,
        plan,
        ports,
        subnet,
        new StackPlan.Images(images.postgres(), images.redis(), images.tenantApp()),
        settings.extraLabels(),
        folder.secretFiles(names));
  }

  /**
   * Makes the stack run as {@code stack} says, then waits for its database and Redis. False, with
   * nothing built, when {@code event} is late: the withdrawal of its life is recorded.
   */
  public boolean launch(StackPlan stack, TenantSecrets secrets, EventMeta event, String step)
      throws StepException {
    EnvFile env = EnvFile.of(stack, secrets);
    boolean built =
        withdrawals.unlessWithdrawn(
            event,
            () -> {
              write(stack, env, step);
              driver.reconcile(stack, env, step);
            });
    if (built) {
      awaitDatabaseAndRedis(stack, secrets, env.secretValues(), step);
    }
    return built;
  }

  private void write(StackPlan stack, EnvFile env, String step) throws StepException {
    String id = stack.names().customerId();
    try {
      folder.write(stack, env);
    } catch (IOException e) {
      throw new StepException(
          "customer " + id + ": cannot write the customer folder: " + e.getMessage(),
          true,
          "step=" + step + " customer=" + id,
          e);
    }
  }

  private void awaitDatabaseAndRedis(
      StackPlan stack, TenantSecrets secrets, List<String> secretValues, String step)
      throws StepException {
    TenantNames names = stack.names();
    String host = settings.tenantHost();
    long started = System.nanoTime();
    long deadline = started + settings.readinessTimeout().toNanos();
    List<String> backing = List.of(names.databaseContainer(), names.redisContainer());
    String problem;
    for (int attempt = 1; ; attempt++) {
      problem = ReadinessProbe.databaseProblem(host, stack.ports(), names, secrets);
      if (problem == null) {
        problem = ReadinessProbe.redisProblem(host, stack.ports(), secrets);
      }
      if (problem == null) {
        LOG.infof(
            "customer=%s step=%s action=ready millis=%d",
            names.customerId(), step, (System.nanoTime() - started) / 1_000_000);
        return;
      }
      driver.failIfNotRunning(names, backing, secretValues);
      if (System.nanoTime() > deadline) {
        throw new StepException(
            "customer "
                + names.customerId()
                + ": database and redis not ready within "
                + settings.readinessTimeout()
                + " ("
                + problem
                + ")",
            true,
            driver.diagnose(names, names.databaseContainer(), secretValues)
                + "; "
                + driver.diagnose(names, names.redisContainer(), secretValues));
      }
      pause(attempt);
    }
  }

  private static void pause(int attempt) throws StepException {
    try {
      READINESS_POLLS.pauseAfter(attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException("interrupted while waiting for readiness", true, null);
    }
  }
}
