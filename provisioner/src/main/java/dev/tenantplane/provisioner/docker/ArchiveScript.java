package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.backup.StoredBackup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a bash script inside the customer's database container on a copy of a database archive: the
 * archive is decrypted into the container's {@code /tmp} (owned by the database's user), the script
 * gets its path as its last argument, and the copy is removed whatever the script did. Restores and
 * restore rehearsals use it, so the archive is read where {@code pg_restore} runs, over the local
 * socket, without a password.
 */
@ApplicationScoped
public class ArchiveScript {
  private final ContainerFiles files;
  private final ContainerExec exec;
  private final ProvisionerSettings settings;

  public ArchiveScript(ContainerFiles files, ContainerExec exec, ProvisionerSettings settings) {
    this.files = files;
    this.exec = exec;
    this.settings = settings;
  }

  /**
   * The script's output; it runs as {@code bash -c script name arguments... archive-path} within
   * the backup timeout.
   */
  public ContainerExec.Output run(
      TenantNames names,
      String step,
      StoredBackup archive,
      String name,
      String script,
      List<String> arguments)
      throws StepException {
    String container = names.databaseContainer();
    String copy = "tenantplane-" + name + ".dump";
    files.copyIn(
        names, step, container, archive, "/tmp", copy, files.userOf(names, step, container));
    List<String> command = new ArrayList<>(List.of("bash", "-c", script, name));
    command.addAll(arguments);
    command.add("/tmp/" + copy);
    try {
      return exec.run(names, step, container, "pg_restore", command, settings.backupTimeout());
    } finally {
      exec.run(
          names,
          step,
          container,
          "rm",
          List.of("rm", "-f", "/tmp/" + copy),
          Duration.ofSeconds(10));
    }
  }
}
