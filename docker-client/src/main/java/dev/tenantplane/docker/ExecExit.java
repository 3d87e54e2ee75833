package dev.tenantplane.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import dev.tenantplane.common.retry.BoundedWait;
import dev.tenantplane.common.retry.RetryPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * The exit code of a command run in a container ({@code docker exec}). The engine may end the
 * exec's output stream (at once, when nothing is attached) before the process exits, and reports no
 * exit code until then: reading it right after the stream would take a still-running command for a
 * failure.
 */
public final class ExecExit {
  // Short: most commands (nginx -t, pg_isready) end within tens of milliseconds.
  private static final RetryPolicy PACE = RetryPolicy.every(Duration.ofMillis(20));

  private ExecExit() {}

  /** The exit code once the process has ended, or null if it still runs after {@code limit}. */
  public static Long await(DockerClient docker, String exec, Duration limit)
      throws InterruptedException {
    return BoundedWait.forAnswer(limit, PACE, () -> exitCode(docker.inspectExecCmd(exec).exec()))
        .orElse(null);
  }

  private static Optional<Long> exitCode(InspectExecResponse state) {
    return Boolean.TRUE.equals(state.isRunning())
        ? Optional.empty()
        : Optional.ofNullable(state.getExitCodeLong());
  }
}
