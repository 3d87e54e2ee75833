package dev.tenantplane.kubernetes;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The fields of {@code kustomization.yaml} this folder uses; read strictly, so a typo fails. */
record Kustomization(
    String apiVersion,
    String kind,
    String namespace,
    List<Labels> labels,
    List<String> resources,
    List<Generator> secretGenerator,
    List<Image> images) {

  record Labels(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {}

  /**
   * Kustomize's {@code files} entries may be {@code key=path}; {@link #paths()} gives the paths.
   */
  record Generator(String name, List<String> envs, List<String> files) {
    List<String> paths() {
      return Stream.concat(
              envs == null ? Stream.empty() : envs.stream(),
              files == null
                  ? Stream.empty()
                  : files.stream().map(f -> f.substring(f.indexOf('=') + 1)))
          .toList();
    }
  }

  record Image(String name, String newName, String newTag) {}
}
