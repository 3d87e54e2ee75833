package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.backup.BackupRole;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Copies a tenant Redis's data as an RDB snapshot: {@code redis-cli --rdb -} inside the Redis
 * container asks the server for a point-in-time snapshot over the replication protocol and streams
 * it out, without touching the server's own dump file. The password is read from the container's
 * secret file ({@code REDIS_PASSWORD_FILE}; a container created before secrets were files has it in
 * {@code REDIS_PASSWORD}) into {@code REDISCLI_AUTH}, so it is on no command line.
 */
@ApplicationScoped
public class RedisSnapshot {
  private static final List<String> COMMAND =
      List.of(
          "sh",
          "-c",
          "if [ -n \"${REDIS_PASSWORD_FILE:-}\" ]; then"
              + " REDISCLI_AUTH=\"$(cat \"$REDIS_PASSWORD_FILE\")\";"
              + " else REDISCLI_AUTH=\"${REDIS_PASSWORD:-}\"; fi;"
              + " export REDISCLI_AUTH; exec redis-cli -p 6379 --rdb -");

  private final ExecToFile files;

  public RedisSnapshot(ExecToFile files) {
    this.files = files;
  }

  public void write(TenantNames names, Path target, Duration timeout, String step)
      throws StepException {
    files.write(
        names,
        step,
        names.redisContainer(),
        "redis-cli --rdb",
        COMMAND,
        target,
        BackupRole.REDIS_SNAPSHOT,
        timeout);
  }
}
