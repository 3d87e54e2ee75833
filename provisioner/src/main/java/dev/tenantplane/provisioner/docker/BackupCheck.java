package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.backup.BackupCipher;
import dev.tenantplane.provisioner.backup.BackupFileException;
import dev.tenantplane.provisioner.backup.BackupRole;
import dev.tenantplane.provisioner.backup.StoredBackup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Proves that a Redis snapshot can be read back, with {@code redis-check-rdb}, the tool of the
 * image that would load it (a database archive is proven by a restore: {@link RestoreRehearsal}).
 * It runs in a short-lived container of the stack's own image, with the file mounted read-only, no
 * network, no capabilities and the file owner's uid (the file is 0600), and is removed afterwards.
 * The snapshot is stored encrypted ({@link BackupCipher}): the check reads a plain copy decrypted
 * next to it ({@link PlainCopies}), deleted once the check is over; a file that does not decrypt
 * fails the check without a container.
 *
 * <p>The file's path must be the same for this service and the engine, as it is when the customers'
 * folder is mounted at its host path.
 */
@ApplicationScoped
public class BackupCheck {
  private static final String MOUNTED = "/backup/file";
  private static final Duration LIMIT = Duration.ofMinutes(5);

  private final DockerClient docker;
  private final ProvisionerSettings settings;
  private final BackupCipher cipher;

  public BackupCheck(DockerClient docker, ProvisionerSettings settings, BackupCipher cipher) {
    this.docker = docker;
    this.settings = settings;
    this.cipher = cipher;
  }

  public void redisSnapshot(TenantNames names, Path file, String step) throws StepException {
    String id = names.customerId();
    String context = "step=" + step + " customer=" + id;
    Path plain = null;
    try {
      plain =
          PlainCopies.create(file.toAbsolutePath().getParent(), PlainCopies.CHECK_PREFIX, ".rdb");
      try (InputStream in = cipher.open(new StoredBackup(file, id, BackupRole.REDIS_SNAPSHOT))) {
        Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
      }
      run(names, step, plain, settings.images().redis(), "redis-check-rdb", List.of(MOUNTED));
    } catch (BackupFileException e) {
      throw new StepException("customer " + id + ": " + e.getMessage(), true, context, e);
    } catch (IOException e) {
      throw new StepException(
          "customer " + id + ": cannot decrypt " + file + " for its check: " + e.getMessage(),
          true,
          context,
          e);
    } finally {
      PlainCopies.delete(plain);
    }
  }

  private void run(
      TenantNames names, String step, Path file, String image, String tool, List<String> arguments)
      throws StepException {
    String id = names.customerId();
    String container = names.backupCheckContainer();
    String context = "step=" + step + " customer=" + id + " container=" + container;
    Path absolute = file.toAbsolutePath();
    String owner;
    try {
      owner =
          Files.getAttribute(absolute, "unix:uid") + ":" + Files.getAttribute(absolute, "unix:gid");
    } catch (IOException | UnsupportedOperationException e) {
      throw new StepException(
          "customer " + id + ": cannot read the owner of " + absolute + ": " + e.getMessage(),
          true,
          context,
          e);
    }
    Map<String, String> labels = new HashMap<>(settings.extraLabels());
    labels.put(TenantNames.CUSTOMER_LABEL, id);
    removeLeftover(id, container);
    try {
      Engine.call(
          id,
          "create " + container,
          () ->
              docker
                  .createContainerCmd(image)
                  .withName(container)
                  .withLabels(labels)
                  .withUser(owner)
                  .withEntrypoint(tool)
                  .withCmd(arguments)
                  .withHostConfig(
                      HostConfig.newHostConfig()
                          .withBinds(
                              new Bind(absolute.toString(), new Volume(MOUNTED), AccessMode.ro))
                          .withNetworkMode("none")
                          .withCapDrop(Capability.ALL)
                          .withSecurityOpts(List.of("no-new-privileges"))
                          .withReadonlyRootfs(true)
                          .withMemory(256L * 1024 * 1024)
                          .withPidsLimit(64L))
                  .exec());
      Engine.call(id, "start " + container, () -> docker.startContainerCmd(container).exec());
      Integer exit =
          Engine.get(
              id,
              "wait for " + container,
              () ->
                  docker
                      .waitContainerCmd(container)
                      .start()
                      .awaitStatusCode(LIMIT.toSeconds(), TimeUnit.SECONDS));
      if (exit == null || exit != 0) {
        throw new StepException(
            "customer "
                + id
                + ": backup file "
                + absolute.getFileName()
                + " is unreadable: "
                + tool
                + " exited with "
                + exit,
            true,
            ContainerDiagnostics.describe(docker, container, List.of()) + " " + context);
      }
    } finally {
      removeLeftover(id, container);
    }
  }

  private void removeLeftover(String id, String container) throws StepException {
    Engine.call(
        id,
        "remove " + container,
        () -> {
          try {
            // With its anonymous volumes: the database and Redis images declare one each, and a
            // check container that left them behind would leave two unlisted volumes per backup.
            docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
          } catch (NotFoundException gone) {
            // Nothing left from an earlier attempt.
          }
        });
  }
}
