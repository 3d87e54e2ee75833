package dev.tenantplane.provisioner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.docker.ExecExit;
import dev.tenantplane.kit.StepException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command in one of a customer's containers ({@code docker exec}) as the container's
 * user and collects what it printed. An engine error or a command still running after its limit is
 * a retryable step failure; the exit code is the caller's to judge.
 */
@ApplicationScoped
public class ContainerExec {
  /** What a command printed, and how it ended. */
  public record Output(long exit, String stdout, String stderr) {
    public boolean succeeded() {
      return exit == 0;
    }

    /** Standard error and output, scrubbed of anything that looks like a secret, for a detail. */
    public String diagnostics() {
      return ContainerDiagnostics.scrub(stderr + " " + stdout, List.of());
    }
  }

  private final DockerClient docker;

  public ContainerExec(DockerClient docker) {
    this.docker = docker;
  }

  /** What to do with each chunk of a command's standard output or error. */
  @FunctionalInterface
  public interface FrameSink {
    void accept(StreamType stream, byte[] payload);
  }

  /**
   * Runs {@code command} in {@code container}, collecting what it prints.
   *
   * @param step the lifecycle step, for a failure's message and detail
   * @param tool what runs, as a failure names it
   */
  public Output run(
      TenantNames names,
      String step,
      String container,
      String tool,
      List<String> command,
      Duration timeout)
      throws StepException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long exit =
        stream(
            names,
            step,
            container,
            tool,
            command,
            timeout,
            (type, payload) -> (type == StreamType.STDERR ? err : out).writeBytes(payload));
    return new Output(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** As {@link #run}, handing each chunk of output to {@code sink} as it comes; the exit code. */
  public long stream(
      TenantNames names,
      String step,
      String container,
      String tool,
      List<String> command,
      Duration timeout,
      FrameSink sink)
      throws StepException {
    String id = names.customerId();
    String context = "step=" + step + " customer=" + id + " container=" + container;
    try {
      String exec =
          docker
              .execCreateCmd(container)
              .withCmd(command.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      boolean finished =
          docker
              .execStartCmd(exec)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      sink.accept(frame.getStreamType(), frame.getPayload());
                    }
                  })
              .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Long exit = finished ? ExecExit.await(docker, exec, Duration.ofSeconds(10)) : null;
      if (exit == null) {
        throw new StepException(
            "customer " + id + ": " + tool + " did not finish within " + timeout, true, context);
      }
      return exit;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException("customer " + id + ": interrupted during " + tool, true, context);
    } catch (RuntimeException e) {
      throw new StepException(
          "customer " + id + ": " + tool + " could not run: " + e.getMessage(), true, context, e);
    }
  }
}
