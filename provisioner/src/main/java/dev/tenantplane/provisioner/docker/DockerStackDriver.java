package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.events.CustomerArchived.ArchivedVolume;
import dev.tenantplane.common.events.RestoreRequested;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.driver.StackDriver;
import dev.tenantplane.provisioner.driver.WrittenBackup;
import dev.tenantplane.provisioner.stack.EnvFile;
import dev.tenantplane.provisioner.stack.StackPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;

/** Runs customer stacks as labelled containers, networks and volumes on one Docker engine. */
@ApplicationScoped
public class DockerStackDriver implements StackDriver {
  private final DockerStack stack;
  private final StackOperations operations;
  private final DatabaseBackup database;
  private final StackBackup backup;
  private final StackRestore restore;
  private final ProvisionerSettings settings;

  public DockerStackDriver(
      DockerStack stack,
      StackOperations operations,
      DatabaseBackup database,
      StackBackup backup,
      StackRestore restore,
      ProvisionerSettings settings) {
    this.stack = stack;
    this.operations = operations;
    this.database = database;
    this.backup = backup;
    this.restore = restore;
    this.settings = settings;
  }

  @Override
  public void reconcile(StackPlan plan, EnvFile env, String step) throws StepException {
    stack.reconcile(plan, env, step);
  }

  @Override
  public void failIfNotRunning(
      TenantNames names, List<String> containers, List<String> secretValues) throws StepException {
    stack.failIfNotRunning(names, containers, secretValues);
  }

  @Override
  public String diagnose(TenantNames names, String container, List<String> secretValues) {
    return stack.diagnose(container, secretValues);
  }

  @Override
  public void stop(TenantNames names) throws StepException {
    operations.stop(names);
  }

  @Override
  public void restart(TenantNames names, String container) throws StepException {
    operations.restart(names, container);
  }

  @Override
  public void remove(TenantNames names, boolean purge) throws StepException {
    operations.remove(names, purge);
  }

  @Override
  public List<String> leftovers(TenantNames names, boolean includeVolumes) {
    return operations.leftovers(names.customerId(), includeVolumes);
  }

  @Override
  public List<ArchivedVolume> volumeUsage(TenantNames names, String step) throws StepException {
    return operations.volumeUsage(names, step);
  }

  @Override
  public boolean isRunning(TenantNames names, String container) {
    return operations.isRunning(container);
  }

  @Override
  public boolean containerExists(TenantNames names, String container) {
    return operations.exists(names, container);
  }

  @Override
  public boolean volumeExists(TenantNames names, String volume) {
    return operations.volumeExists(volume);
  }

  @Override
  public void dumpDatabase(TenantNames names, Path target, String step) throws StepException {
    if (!operations.isRunning(names.databaseContainer())) {
      operations.start(names.customerId(), names.databaseContainer());
    }
    database.awaitAccepting(names, settings.readinessTimeout(), step);
    database.dump(names, target, settings.backupTimeout(), step);
  }

  @Override
  public WrittenBackup writeBackup(TenantNames names, Path dir, String step) throws StepException {
    return backup.write(names, dir, step);
  }

  @Override
  public String restore(TenantNames names, Path dir, RestoreRequested request, String step)
      throws StepException {
    return restore.restore(names, dir, request, step);
  }
}
