package dev.tenantplane.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Kustomize base in deploy/kubernetes, each document read into the class of its kind. */
final class Manifests {
  /** apiVersion + kind of every object the base may hold, and the class it must parse as. */
  static final Map<String, Class<?>> KINDS =
      Map.of(
          "v1/ConfigMap", ConfigMap.class,
          "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "keda.sh/v1alpha1/ScaledObject", ScaledObject.class);

  /** One YAML document: where it came from and what it parsed into. */
  record Doc(String file, int index, Object object) {
    String where() {
      return file + " (document " + (index + 1) + ")";
    }
  }

  private static final ObjectMapper YAML = StrictYaml.mapper();

  final Path dir;
  final Kustomization kustomization;
  final List<Doc> docs;

  private Manifests(Path dir, Kustomization kustomization, List<Doc> docs) {
    this.dir = dir;
    this.kustomization = kustomization;
    this.docs = docs;
  }

  static Manifests load() {
    return load(Repo.root().resolve("deploy/kubernetes"));
  }

  static Manifests load(Path dir) {
    try {
      Kustomization k =
          YAML.readValue(dir.resolve("kustomization.yaml").toFile(), Kustomization.class);
      List<Doc> docs = new ArrayList<>();
      for (String file : k.resources()) {
        docs.addAll(parse(file, Files.readString(dir.resolve(file))));
      }
      return new Manifests(dir, k, docs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses every document of one file; an unknown kind or field fails with the file's name. */
  static List<Doc> parse(String file, String yaml) {
    List<Doc> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      int index = 0;
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        String type = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
        Class<?> cls = KINDS.get(type);
        if (cls == null) {
          throw new IllegalArgumentException(
              file + " (document " + (index + 1) + "): no model for " + type);
        }
        try {
          docs.add(new Doc(file, index, YAML.treeToValue(node, cls)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(
              file + " (document " + (index + 1) + "), " + type + ": " + e.getOriginalMessage(), e);
        }
        index++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not YAML", e);
    }
    return docs;
  }

  <T> List<T> all(Class<T> cls) {
    return docs.stream().map(Doc::object).filter(cls::isInstance).map(cls::cast).toList();
  }

  Optional<Doc> docOf(Object object) {
    return docs.stream().filter(d -> d.object() == object).findFirst();
  }

  ConfigMap settings() {
    return all(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals("tenantplane-settings"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap tenantplane-settings in the base"));
  }

  Deployment deployment(String name) {
    return all(Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + name + " in the base"));
  }
}
