package dev.tenantplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {
  private final Manifests base = Manifests.load();

  static Set<String> services() {
    return Repo.servicePorts().keySet();
  }

  private Container container(String service) {
    return base.deployment(service).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private Set<String> generatedSecrets() {
    return base.kustomization.secretGenerator().stream()
        .map(Kustomization.Generator::name)
        .collect(Collectors.toSet());
  }

  /** Keys of the example env files: the keys the operator's files must have. */
  private Set<String> secretKeys(String secret) {
    Kustomization.Generator g =
        base.kustomization.secretGenerator().stream()
            .filter(s -> s.name().equals(secret))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no secretGenerator " + secret));
    Set<String> keys = new HashSet<>();
    for (String env : g.envs() == null ? java.util.List.<String>of() : g.envs()) {
      Properties p = new Properties();
      try {
        p.load(new StringReader(Repo.read("deploy/kubernetes/" + env + ".example")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      keys.addAll(p.stringPropertyNames());
    }
    return keys;
  }

  @ParameterizedTest
  @MethodSource("services")
  void everyVariableADeploymentSetsIsOneTheServiceReads(String service) {
    Set<String> read = ServiceSettings.environment(service);
    Container c = container(service);
    assertThat(c.getEnvFrom())
        .as("Deployment " + service + " envFrom (use env entries, so each name is checked)")
        .isNullOrEmpty();
    for (EnvVar e : Env.of(c)) {
      assertThat(read)
          .as(
              "Deployment "
                  + service
                  + " env "
                  + e.getName()
                  + ": not read by "
                  + service
                  + " (its application.properties, the kit's, or their @ConfigMapping settings)")
          .contains(e.getName());
    }
  }

  @ParameterizedTest
  @MethodSource("services")
  void everyReferencedKeyExistsInTheConfigMapOrTheSecretFiles(String service) {
    Set<String> settings = base.settings().getData().keySet();
    for (EnvVar e : Env.of(container(service))) {
      String where = "Deployment " + service + " env " + e.getName();
      if (e.getValueFrom() == null) {
        assertThat(e.getValue()).as(where + " value").isNotNull();
        continue;
      }
      var cm = e.getValueFrom().getConfigMapKeyRef();
      var secret = e.getValueFrom().getSecretKeyRef();
      if (cm != null) {
        assertThat(cm.getName())
            .as(where + " configMapKeyRef.name")
            .isEqualTo("tenantplane-settings");
        assertThat(settings).as(where + " configMapKeyRef.key").contains(cm.getKey());
      } else {
        assertThat(secret).as(where + " valueFrom (a ConfigMap or Secret key)").isNotNull();
        assertThat(secretKeys(secret.getName()))
            .as(where + " secretKeyRef: key " + secret.getKey() + " of " + secret.getName())
            .contains(secret.getKey());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("services")
  void everyMountedSecretOrClaimIsPartOfTheBase(String service) {
    Deployment d = base.deployment(service);
    Set<String> claims =
        base.all(PersistentVolumeClaim.class).stream()
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet());
    for (Volume v : d.getSpec().getTemplate().getSpec().getVolumes()) {
      String where = "Deployment " + service + " volume " + v.getName();
      if (v.getSecret() != null) {
        assertThat(generatedSecrets())
            .as(where + " secretName")
            .contains(v.getSecret().getSecretName());
      } else if (v.getPersistentVolumeClaim() != null) {
        assertThat(claims)
            .as(where + " claimName")
            .contains(v.getPersistentVolumeClaim().getClaimName());
      } else {
        assertThat(v.getEmptyDir()).as(where + " (a Secret, a claim or an emptyDir)").isNotNull();
      }
    }
  }

  @Test
  void everyConfigMapKeyIsUsedByADeployment() {
    Set<String> used = new HashSet<>();
    for (String service : services()) {
      for (EnvVar e : Env.of(container(service))) {
        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
          used.add(e.getValueFrom().getConfigMapKeyRef().getKey());
        }
      }
    }
    assertThat(used)
        .as("ConfigMap tenantplane-settings keys some Deployment reads (settings.yaml)")
        .containsAll(base.settings().getData().keySet());
  }
}
