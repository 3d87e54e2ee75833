package dev.tenantplane.provisioner.driver;

import dev.tenantplane.common.events.CustomerArchived.ArchivedVolume;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.stack.EnvFile;
import dev.tenantplane.provisioner.stack.StackPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * What the lifecycle steps ask of the platform that runs a customer's stack, so that another one
 * (Kubernetes, see {@code docs/KUBERNETES.md}) can be added without touching the steps.
 *
 * <p>A driver must guarantee that every operation is idempotent (what already is as asked is fine,
 * so a redelivered event or a retry after a crash converges), that it finds what it made for a
 * customer by the customer's label ({@link TenantNames#CUSTOMER_LABEL}) and never touches anything
 * without it, and that it fails with a {@link StepException} naming the customer and the step,
 * retryable unless a retry cannot succeed, with diagnostics free of the customer's secrets. {@code
 * step} is the step's name as it appears in those failures and in the logs.
 */
public interface StackDriver {

  /**
   * Makes the stack match {@code stack}: creates what is missing, starts what is stopped, replaces
   * what was made from another plan; database and Redis before app and worker.
   */
  void reconcile(StackPlan stack, EnvFile env, String step) throws StepException;

  /**
   * Fails, with the reason, when one of {@code containers} is missing, stopped or restarting, so a
   * wait for readiness ends early.
   */
  void failIfNotRunning(TenantNames names, List<String> containers, List<String> secretValues)
      throws StepException;

  /** The state and log tail of one of the customer's containers, without {@code secretValues}. */
  String diagnose(TenantNames names, String container, List<String> secretValues);

  /** Stops the customer's containers, worker first, keeping all data. */
  void stop(TenantNames names) throws StepException;

  /** Restarts one of the customer's containers; fails for good on a name not the customer's. */
  void restart(TenantNames names, String container) throws StepException;

  /** Removes the customer's containers and network; with {@code purge} its volumes too. */
  void remove(TenantNames names, boolean purge) throws StepException;

  /** What is still there for the customer after a removal, each named with its kind. */
  List<String> leftovers(TenantNames names, boolean includeVolumes);

  /** The customer's volumes with the space each uses. */
  List<ArchivedVolume> volumeUsage(TenantNames names, String step) throws StepException;

  boolean isRunning(TenantNames names, String container);

  /** Whether the container exists and carries the customer's label. */
  boolean containerExists(TenantNames names, String container);

  boolean volumeExists(TenantNames names, String volume);

  /**
   * Writes a plain SQL dump of the customer's database to {@code target}, starting the database
   * first when it is stopped; the file gets its name only once the dump is complete.
   */
  void dumpDatabase(TenantNames names, Path target, String step) throws StepException;

  /**
   * Writes a checked backup of the running database and Redis into {@code dir}; files already there
   * from an earlier attempt are checked again rather than rewritten.
   */
  WrittenBackup writeBackup(TenantNames names, Path dir, String step) throws StepException;

  /**
   * Puts the database and Redis back to the backup in {@code dir}, refusing files whose checksums
   * differ from {@code request}'s; returns the schema version now. The stack is left for the caller
   * to start again.
   */
  String restore(TenantNames names, Path dir, RestoreRequested request, String step)
      throws StepException;
}
