package dev.tenantplane.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import java.time.Duration;

/**
 * The exit code of a command run in a container ({@code docker exec}). The engine may end the
 * exec's output stream (at once, when nothing is attached) before the process exits, and reports no
 * exit code until then: reading it right after the stream would take a still-running command for a
 * failure.
 */
public final class ExecExit {
  // Short: most commands (nginx -t, pg_isready) end within tens of milliseconds.
  private static final long POLL_MILLIS = 20;

  private ExecExit() {}

  /** The exit code once the process has ended, or null if it still runs after {@code limit}. */
  public static Long await(DockerClient docker, String exec, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      InspectExecResponse state = docker.inspectExecCmd(exec).exec();
      if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
        return state.getExitCodeLong();
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
