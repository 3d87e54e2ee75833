package dev.tenantplane.gateway.auth;

import dev.tenantplane.gateway.GatewaySettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.jboss.logging.Logger;

/**
 * Gives a fresh installation its first token, an admin's, so the API can be used at all and other
 * tokens can be made. The token is written once to the admin token file, created with mode 0600
 * before any byte is written, and never logged. A file that already exists (e.g. the database was
 * reset) is registered again instead of being replaced.
 */
@ApplicationScoped
public class AdminTokenBootstrap {
  /** The name of the bootstrap token (migration V109 recognises it by this name too). */
  public static final String ADMIN = "admin";

  private static final Logger LOG = Logger.getLogger(AdminTokenBootstrap.class);

  private final ApiTokens tokens;
  private final GatewaySettings settings;

  public AdminTokenBootstrap(ApiTokens tokens, GatewaySettings settings) {
    this.tokens = tokens;
    this.settings = settings;
  }

  void onStart(@Observes StartupEvent start) {
    if (tokens.anyExists()) {
      return;
    }
    Path file = settings.adminTokenFile().toAbsolutePath();
    try {
      String token;
      if (Files.exists(file)) {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } else {
        token = TokenHash.newToken(new SecureRandom());
        writeOwnerOnly(file, token);
      }
      tokens.register(ADMIN, Role.ADMIN, token, "bootstrap");
      LOG.infof("step=bootstrap outcome=admin-token-registered file=%s", file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token file " + file, e);
    }
  }

  private static void writeOwnerOnly(Path file, String token) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
