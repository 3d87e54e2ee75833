package dev.tenantplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KustomizationTest {
  private final Manifests base = Manifests.load();

  @Test
  void everyListedResourceExistsAndEveryDocumentParsesStrictlyAsItsKind() {
    assertThat(base.kustomization.resources()).isNotEmpty();
    for (String file : base.kustomization.resources()) {
      assertThat(base.dir.resolve(file)).as("kustomization.yaml lists " + file).isRegularFile();
    }
    // Manifests.load read each document into its kind's class; a failure throws with the file.
    assertThat(base.docs.stream().map(Manifests.Doc::file).distinct())
        .as("files with at least one object")
        .containsExactlyInAnyOrderElementsOf(base.kustomization.resources());
  }

  @Test
  void everythingLandsInTheTenantplaneNamespaceWithTheCommonLabel() {
    assertThat(base.kustomization.namespace()).isEqualTo("tenantplane");
    assertThat(base.kustomization.labels())
        .as("kustomization.yaml labels")
        .anySatisfy(
            l -> {
              assertThat(l.pairs()).containsEntry("app.kubernetes.io/part-of", "tenantplane");
              assertThat(l.includeTemplates()).as("labels reach the pods").isTrue();
            });
  }

  @Test
  void imagesSectionNamesEveryServiceImageAtTheProjectVersion() {
    Map<String, Kustomization.Image> images =
        base.kustomization.images().stream()
            .collect(Collectors.toMap(Kustomization.Image::name, i -> i));
    for (String service : Repo.servicePorts().keySet()) {
      String image = Repo.image(service);
      String name = image.substring(0, image.lastIndexOf(':'));
      assertThat(images).as("kustomization.yaml images: entry for " + name).containsKey(name);
      assertThat(images.get(name).newTag())
          .as("kustomization.yaml images: newTag of " + name)
          .isEqualTo(Repo.version());
    }
  }

  @Test
  void secretsComeFromGitIgnoredOperatorFilesWithADocumentedExample() {
    String ignore = Repo.read("deploy/kubernetes/.gitignore");
    assertThat(ignore).as("deploy/kubernetes/.gitignore").contains("/secrets/*");
    assertThat(base.kustomization.secretGenerator()).isNotEmpty();
    for (Kustomization.Generator g : base.kustomization.secretGenerator()) {
      assertThat(g.paths()).as("secretGenerator " + g.name()).isNotEmpty();
      for (String path : g.paths()) {
        assertThat(path).as("secretGenerator " + g.name() + " reads").startsWith("secrets/");
      }
      for (String env : g.envs() == null ? java.util.List.<String>of() : g.envs()) {
        assertThat(Files.isRegularFile(base.dir.resolve(env + ".example")))
            .as("secretGenerator " + g.name() + ": " + env + ".example documents its keys")
            .isTrue();
      }
    }
  }

  @Test
  void aMisspeltFieldIsRefusedEvenWhereTheModelKeepsUnknownFields() {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          replica: 2
        """;
    assertThatThrownBy(() -> Manifests.parse("typo.yaml", yaml))
        .hasMessageContaining("typo.yaml")
        .hasMessageContaining("replica");
    assertThat(Manifests.parse("ok.yaml", yaml.replace("replica:", "replicas:")))
        .singleElement()
        .extracting(Manifests.Doc::object)
        .isInstanceOf(Deployment.class);
  }

  @Test
  void aKindWithoutAModelIsRefused() {
    assertThatThrownBy(() -> Manifests.parse("x.yaml", "apiVersion: v1\nkind: Pod\n"))
        .hasMessageContaining("x.yaml")
        .hasMessageContaining("v1/Pod");
  }

  @Test
  void aScaledObjectFieldKedaDoesNotHaveIsRefused() {
    String yaml =
        """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata:
          name: x
        spec:
          maxReplicas: 3
        """;
    assertThatThrownBy(() -> Manifests.parse("keda.yaml", yaml))
        .hasMessageContaining("maxReplicas");
  }
}
