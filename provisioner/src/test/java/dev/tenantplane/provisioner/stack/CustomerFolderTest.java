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
    StackPlan stack = StackFixtures.acme();
    Path dir = new CustomerFolder(root).write(stack, EnvFile.of(stack, StackFixtures.secrets()));

    assertThat(dir).isEqualTo(root.resolve("acme-corp"));
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve(".env"))).isEqualTo("rw-------");
    assertThat(dir.resolve("docker-compose.yml")).hasContent(ComposeFileRenderer.render(stack));
    assertThat(dir.resolve("CUSTOMER_MANIFEST.md")).hasContent(ManifestRenderer.render(stack));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(".env", "docker-compose.yml", "CUSTOMER_MANIFEST.md");
    }
  }

  @Test
  void releasingDeletesGeneratedFilesButKeepsBackups() throws Exception {
    StackPlan stack = StackFixtures.acme();
    CustomerFolder folder = new CustomerFolder(root);
    folder.write(stack, EnvFile.of(stack, StackFixtures.secrets()));
    Path backup = folder.backups(stack.names()).resolve("saas_acme_corp-1.sql");
    Files.writeString(backup, "-- dump");

    folder.removeGeneratedFiles(stack.names());

    assertThat(root.resolve("acme-corp/.env")).doesNotExist();
    assertThat(root.resolve("acme-corp/docker-compose.yml")).doesNotExist();
    assertThat(backup).exists();
    assertThat(mode(backup.getParent())).isEqualTo("rwx------");
  }

  @Test
  void releasingAnEmptiedFolderRemovesIt() throws Exception {
    StackPlan stack = StackFixtures.acme();
    CustomerFolder folder = new CustomerFolder(root);
    folder.write(stack, EnvFile.of(stack, StackFixtures.secrets()));

    folder.removeGeneratedFiles(new TenantNames("acme-corp"));
    folder.removeGeneratedFiles(new TenantNames("acme-corp"));

    assertThat(root.resolve("acme-corp")).doesNotExist();
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
