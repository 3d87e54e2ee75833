package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What an operator needs when a container misbehaves: its state (status, exit code, OOM kill,
 * restarts) and the tail of its log, with every secret value and anything that looks like an
 * assignment of one removed.
 */
final class ContainerDiagnostics {
  private static final int TAIL_LINES = 20;
  private static final int MAX_CHARS = 2000;
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile("(?i)([A-Z_]*(PASSWORD|SECRET|KEY|TOKEN)[A-Z_]*\\s*[=:]\\s*)\\S+");

  private ContainerDiagnostics() {}

  static String describe(DockerClient docker, String container, List<String> secretValues) {
    InspectContainerResponse inspected;
    try {
      inspected = docker.inspectContainerCmd(container).exec();
    } catch (NotFoundException e) {
      return "container=" + container + " state=missing";
    } catch (RuntimeException e) {
      return "container=" + container + " state=unknown";
    }
    InspectContainerResponse.ContainerState state = inspected.getState();
    return "container="
        + container
        + " status="
        + state.getStatus()
        + " exit_code="
        + state.getExitCodeLong()
        + " oom_killed="
        + state.getOOMKilled()
        + " restarts="
        + inspected.getRestartCount()
        + " log_tail=\""
        + scrub(logTail(docker, container), secretValues)
        + "\"";
  }

  static String scrub(String text, List<String> secretValues) {
    String scrubbed = text;
    for (String secret : secretValues) {
      if (secret != null && !secret.isEmpty()) {
        scrubbed = scrubbed.replace(secret, "[redacted]");
      }
    }
    scrubbed = SECRET_ASSIGNMENT.matcher(scrubbed).replaceAll("$1[redacted]");
    scrubbed = scrubbed.replace('"', '\'').strip();
    return scrubbed.length() <= MAX_CHARS
        ? scrubbed
        : scrubbed.substring(scrubbed.length() - MAX_CHARS);
  }

  private static String logTail(DockerClient docker, String container) {
    StringBuilder out = new StringBuilder();
    try {
      docker
          .logContainerCmd(container)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(TAIL_LINES)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      out.append("(log unavailable)");
    }
    return out.toString().replace("\n", " | ");
  }
}
