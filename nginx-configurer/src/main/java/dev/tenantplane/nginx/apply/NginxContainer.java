package dev.tenantplane.nginx.apply;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.tenantplane.docker.ExecExit;
import dev.tenantplane.nginx.NginxSettings;
import dev.tenantplane.nginx.render.RenderedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The platform's nginx container, driven through the Docker engine: files go in as tar archives,
 * commands run as execs, a reload is SIGHUP to its master process. No host path is shared, so this
 * works whether the service runs on the host or in a container with the engine's socket.
 */
@ApplicationScoped
public class NginxContainer {
  /**
   * Owner of the route files: the uid that owns the image's conf.d, with nginx's group so nginx can
   * read them. The test-and-swap command runs as this user and group: it may write conf.d, and
   * {@code nginx -t} reads what nginx itself can read.
   */
  static final int WRITER_UID = 10001;

  static final int NGINX_GID = 33;

  /** Files of one generation; the candidate main file is only for {@code nginx -t}. */
  static final String HTTP_FILE = "routes.conf";

  static final String LOCATIONS_FILE = "routes.locations";
  static final String CANDIDATE_MAIN = "candidate.main";

  private static final String MAIN_CONFIG = "/etc/nginx/nginx.conf";
  private static final Pattern CONF_DIR = Pattern.compile("/[A-Za-z0-9._/-]*[A-Za-z0-9._-]");

  /** Exit code of {@link #SWAP_SCRIPT} when {@code nginx -t} refused the generation. */
  private static final int REFUSED = 3;

  // One exec per change, as execs are the slow part: optionally nginx -t the generation (dropping
  // it when refused), point the live link at it in one rename, then drop generations other than
  // the new and the kept one. Values arrive as positional arguments, never pasted into the script.
  private static final String SWAP_SCRIPT =
      "set -u; cd \"$1\";"
          + " if [ \"$4\" = test ] && ! nginx -t -q -c \"$1/$2/"
          + CANDIDATE_MAIN
          + "\"; then rm -rf -- \"$2\"; exit "
          + REFUSED
          + "; fi;"
          + " ln -sfn \"$2\" live.next && mv -T live.next live || exit 1;"
          + " for d in gen-*; do [ \"$d\" = \"$2\" ] || [ \"$d\" = \"$3\" ] || rm -rf -- \"$d\";"
          + " done";

  private final DockerClient docker;
  private final NginxSettings settings;
  private volatile MainConfig mainConfig;

  public NginxContainer(DockerClient docker, NginxSettings settings) {
    if (!CONF_DIR.matcher(settings.confDir()).matches() || settings.confDir().contains("..")) {
      throw new IllegalArgumentException(
          "conf-dir must be an absolute path of letters, digits, '.', '_', '-', '/': "
              + settings.confDir());
    }
    this.docker = docker;
    this.settings = settings;
  }

  public String confDir() {
    return settings.confDir();
  }

  /**
   * The image's main configuration, the template of each candidate. Read once per container
   * instance: it comes from the image, so only a new container can change it.
   */
  public String mainConfig() throws NginxUnavailableException {
    String containerId = containerId();
    MainConfig cached = mainConfig;
    if (cached != null && cached.containerId().equals(containerId)) {
      return cached.text();
    }
    ExecResult result = exec(null, "cat", MAIN_CONFIG);
    if (!result.ok()) {
      throw new NginxUnavailableException("cannot read " + MAIN_CONFIG + ": " + result.message());
    }
    mainConfig = new MainConfig(containerId, result.stdout());
    return result.stdout();
  }

  private record MainConfig(String containerId, String text) {}

  private String containerId() throws NginxUnavailableException {
    try {
      return docker.inspectContainerCmd(settings.container()).exec().getId();
    } catch (DockerException e) {
      throw unavailable("cannot inspect", e);
    }
  }

  /** Writes a generation directory holding {@code config} and the candidate main file. */
  public void writeGeneration(String generation, RenderedConfig config, String candidateMain)
      throws NginxUnavailableException {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(HTTP_FILE, config.httpConf());
    files.put(LOCATIONS_FILE, config.locations());
    files.put(CANDIDATE_MAIN, candidateMain);
    try {
      docker
          .copyArchiveToContainerCmd(settings.container())
          .withRemotePath(settings.confDir())
          .withTarInputStream(new ByteArrayInputStream(tar(generation, files)))
          .exec();
    } catch (DockerException e) {
      throw unavailable("cannot write " + generation, e);
    }
  }

  /**
   * Tests the generation with {@code nginx -t} and, if nginx accepts it, points {@code live} at it
   * atomically; keeps {@code keep} for a rollback and removes older generations.
   *
   * @throws NginxRejectedException with nginx's message when it refuses; the generation is removed
   *     and {@code live} is unchanged
   */
  public void testAndSwap(String generation, String keep)
      throws NginxRejectedException, NginxUnavailableException {
    ExecResult result = swapScript(generation, keep, "test");
    if (result.exitCode() == REFUSED) {
      throw new NginxRejectedException(result.message());
    }
    if (!result.ok()) {
      throw new NginxUnavailableException(
          "cannot switch to " + generation + ": " + result.message());
    }
  }

  /** Points {@code live} at a generation nginx already accepted before, without testing it. */
  public void swapBack(String generation) throws NginxUnavailableException {
    ExecResult result = swapScript(generation, generation, "no-test");
    if (!result.ok()) {
      throw new NginxUnavailableException(
          "cannot switch back to " + generation + ": " + result.message());
    }
  }

  private ExecResult swapScript(String generation, String keep, String mode)
      throws NginxUnavailableException {
    return exec(
        WRITER_UID + ":" + NGINX_GID,
        "sh",
        "-c",
        SWAP_SCRIPT,
        "swap",
        settings.confDir(),
        generation,
        keep,
        mode);
  }

  /** Asks the nginx master to reload its configuration (SIGHUP to the container's process 1). */
  public void reload() throws NginxUnavailableException {
    try {
      docker.killContainerCmd(settings.container()).withSignal("HUP").exec();
    } catch (DockerException e) {
      throw unavailable("cannot signal a reload", e);
    }
  }

  /** Runs a command in the nginx container as {@code user} (null: the image's user). */
  public ExecResult exec(String user, String... command) throws NginxUnavailableException {
    try {
      var create =
          docker
              .execCreateCmd(settings.container())
              .withCmd(command)
              .withAttachStdout(true)
              .withAttachStderr(true);
      if (user != null) {
        create = create.withUser(user);
      }
      String id = create.exec().getId();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      boolean finished =
          docker
              .execStartCmd(id)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      (frame.getStreamType() == StreamType.STDERR ? err : out)
                          .writeBytes(frame.getPayload());
                    }
                  })
              .awaitCompletion(settings.execTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        throw new NginxUnavailableException(
            command[0] + " did not finish within " + settings.execTimeout());
      }
      Long exit = ExecExit.await(docker, id, settings.execTimeout());
      return new ExecResult(
          exit == null ? -1 : exit,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (DockerException e) {
      throw unavailable("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NginxUnavailableException("interrupted while running " + command[0]);
    }
  }

  private NginxUnavailableException unavailable(String what, DockerException e) {
    String reason =
        e instanceof NotFoundException
            ? "container " + settings.container() + " not found"
            : e.getMessage();
    return new NginxUnavailableException(what + " in " + settings.container() + ": " + reason);
  }

  private static byte[] tar(String directory, Map<String, String> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry dir = new TarArchiveEntry(directory + "/");
      owned(dir, 0755);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      for (Map.Entry<String, String> file : files.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(directory + "/" + file.getKey());
        owned(entry, 0644);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void owned(TarArchiveEntry entry, int mode) {
    entry.setIds(WRITER_UID, NGINX_GID);
    entry.setMode((entry.isDirectory() ? 040000 : 0100000) | mode);
  }
}
