package dev.tenantplane.provisioner.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantplane.common.naming.TenantNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerFolderTest {
  @TempDir Path root;

  @Test
  void writesEnvFileOwnerOnlyInAnOwnerOnlyFolder() throws Exception {
    CustomerFolder folder = new CustomerFolder(root);
    StackPlan stack = StackFixtures.acme(folder);
    Path dir = folder.write(stack, EnvFile.of(stack, StackFixtures.secrets()));

    assertThat(dir).isEqualTo(root.resolve("acme-corp"));
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve(".env"))).isEqualTo("rw-------");
    assertThat(dir.resolve("docker-compose.yml")).hasContent(ComposeFileRenderer.render(stack));
    assertThat(dir.resolve("CUSTOMER_MANIFEST.md")).hasContent(ManifestRenderer.render(stack));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              ".env", "docker-compose.yml", "CUSTOMER_MANIFEST.md", "secrets");
    }
  }

  @Test
  void writesEachSecretAloneInAReadOnlyFileOfTheSecretsGroup() throws Exception {
    CustomerFolder folder = new CustomerFolder(root);
    StackPlan stack = StackFixtures.acme(folder);
    EnvFile env = EnvFile.of(stack, StackFixtures.secrets());
    folder.write(stack, env);
    // Written again, as every start does: the read-only files are replaced.
    folder.write(stack, env);

    Path secrets = root.resolve("acme-corp/secrets");
    assertThat(stack.secretFiles().directory()).isEqualTo(secrets.toAbsolutePath());
    assertThat(mode(secrets)).isEqualTo("rwx------");
    try (var files = Files.list(secrets)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(EnvFile.SECRET_VARIABLES);
    }
    for (String variable : EnvFile.SECRET_VARIABLES) {
      Path file = secrets.resolve(variable);
      assertThat(file).hasContent(env.get(variable));
      assertThat(Files.readString(file)).doesNotEndWith("\n");
      assertThat(mode(file)).isEqualTo("r--r-----");
      assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(stack.secretFiles().group());
    }
  }

  @Test
  void releasingDeletesGeneratedFilesButKeepsBackups() throws Exception {
    CustomerFolder folder = new CustomerFolder(root);
    StackPlan stack = StackFixtures.acme(folder);
    folder.write(stack, EnvFile.of(stack, StackFixtures.secrets()));
    Path backup = folder.backups(stack.names()).resolve("saas_acme_corp-1.sql");
    Files.writeString(backup, "-- dump");

    folder.removeGeneratedFiles(stack.names());

    assertThat(root.resolve("acme-corp/.env")).doesNotExist();
    assertThat(root.resolve("acme-corp/docker-compose.yml")).doesNotExist();
    assertThat(root.resolve("acme-corp/secrets")).doesNotExist();
    assertThat(backup).exists();
    assertThat(mode(backup.getParent())).isEqualTo("rwx------");
  }

  @Test
  void releasingAnEmptiedFolderRemovesIt() throws Exception {
    CustomerFolder folder = new CustomerFolder(root);
    StackPlan stack = StackFixtures.acme(folder);
    folder.write(stack, EnvFile.of(stack, StackFixtures.secrets()));

    folder.removeGeneratedFiles(new TenantNames("acme-corp"));
    folder.removeGeneratedFiles(new TenantNames("acme-corp"));

    assertThat(root.resolve("acme-corp")).doesNotExist();
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
