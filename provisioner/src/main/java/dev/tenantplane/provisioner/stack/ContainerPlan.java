package dev.tenantplane.provisioner.stack;

import dev.tenantplane.common.naming.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container of a customer stack as it should run. Its environment holds no values of the {@code
 * .env} file, only the names of its variables, so the plan can be written to the compose file and
 * hashed without exposing a secret. Its secrets are not in its environment at all: each is a file
 * of the customer's folder, mounted read-only at {@code /run/secrets/<name>} (as compose's {@code
 * secrets:} would), where {@code docker inspect} shows the path but never the value.
 *
 * @param service the compose service name (the container name, as the seed's compose files had)
 *     <p>Maps are insertion-ordered, so the rendered files and the hash are stable.
 * @param fixedEnvironment variables with a plain, non-secret value
 * @param environmentFromEnvFile container variable to the {@code .env} variable holding its value;
 *     never a secret
 * @param secrets the secret files mounted into the container
 * @param groups supplementary groups of the container's user: the secret files' group, which lets
 *     it read them whatever its uid (see {@link StackPlan.SecretFiles})
 * @param healthCheck a shell command, or empty to keep the image's own check
 */
public record ContainerPlan(
    String name,
    String component,
    String image,
    Map<String, String> fixedEnvironment,
    Map<String, String> environmentFromEnvFile,
    List<SecretMount> secrets,
    List<String> groups,
    Optional<PortBinding> port,
    Optional<VolumeMount> volume,
    Plan.Limits limits,
    Optional<String> healthCheck,
    List<String> dependsOn,
    Map<String, String> labels) {

  /** A container port published on the host's loopback address only. */
  public record PortBinding(String hostIp, int hostPort, int containerPort) {}

  /** A named volume mounted at {@code path}. */
  public record VolumeMount(String volume, String path) {}

  /** Where the containers find their secrets, as with compose's {@code secrets:}. */
  public static final String SECRETS_DIR = "/run/secrets";

  /**
   * A secret file of the host, {@code source} (an absolute path, as the engine binds it), mounted
   * read-only at {@code /run/secrets/<name>}.
   */
  public record SecretMount(Path source, String name) {
    public String target() {
      return SECRETS_DIR + "/" + name;
    }
  }

  public String service() {
    return name;
  }

  /**
   * The labels the container carries, in the compose file too: the plan's and its spec hash, so a
   * container that docker-compose recreates is still known as this plan's.
   */
  public Map<String, String> containerLabels() {
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.put(DockerSpec.SPEC_HASH_LABEL, specHash());
    return Collections.unmodifiableMap(all);
  }

  /**
   * A fingerprint of everything that defines the container. A running container whose label differs
   * was created from another plan and is replaced.
   */
  public String specHash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
