package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import dev.tenantplane.provisioner.network.Subnet;
import dev.tenantplane.provisioner.network.SubnetConverter;
import dev.tenantplane.provisioner.network.SubnetPool;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up check of {@code tenantplane.provisioner.network.*}, and running out of subnets. */
class SubnetAllocatorTest {
  @Test
  void theDefaultsGiveFourThousandSubnets() {
    assertThat(SubnetAllocator.validated(settings("10.213.0.0/16", 28)).count()).isEqualTo(4096);
  }

  @Test
  void theSettingsDefaultToTheDocumentedPool() {
    ProvisionerSettings settings = read(Map.of());

    assertThat(settings.network().pool()).hasToString("10.213.0.0/16");
    assertThat(settings.network().subnetPrefix()).isEqualTo(28);
  }

  @Test
  void aMalformedPoolSettingNamesThePropertyAndTheFault() {
    assertThatThrownBy(() -> read(Map.of("tenantplane.provisioner.network.pool", "10.213.0.0/33")))
        .hasMessageContaining("tenantplane.provisioner.network.pool")
        .hasMessageContaining("/33 is not between 0 and 32");
  }

  @Test
  void aPoolThatIsNoCidrIsRefusedWhenRead() {
    assertThatThrownBy(() -> new SubnetConverter().convert("10.213.0.0/16x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.213.0.0/16x' is not an IPv4 network in CIDR form");
  }

  @Test
  void aSubnetSizeThePoolCannotHoldStopsTheStartWithBothSettings() {
    assertThatThrownBy(() -> SubnetAllocator.validated(settings("10.213.0.0/24", 20)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tenantplane.provisioner.network")
        .hasMessageContaining("pool=10.213.0.0/24")
        .hasMessageContaining("subnet-prefix=20")
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> SubnetAllocator.validated(settings("10.213.0.0/16", 31)))
        .hasMessageContaining("too small");
  }

  @Test
  void recordedSubnetsAndTheEnginesNetworksAreBothSkipped() throws StepException {
    SubnetPool pool = SubnetPool.of("10.213.0.0/16", 28);

    assertThat(
            SubnetAllocator.free(
                pool,
                List.of(Subnet.parse("10.213.0.0/28")),
                List.of(Subnet.parse("10.213.0.16/28"), Subnet.parse("172.17.0.0/16")),
                "acme-corp",
                "allocate"))
        .hasSize(SubnetAllocator.CANDIDATES)
        .first()
        .hasToString("10.213.0.32/28");
  }

  @Test
  void anExhaustedPoolFailsTheStepForGoodSayingWhy() {
    SubnetPool pool = SubnetPool.of("10.213.0.0/27", 28);
    List<Subnet> recorded = List.of(pool.get(0));
    List<Subnet> onEngine = List.of(pool.get(1));

    assertThatThrownBy(
            () -> SubnetAllocator.free(pool, recorded, onEngine, "acme-corp", "allocate"))
        .isInstanceOfSatisfying(
            StepException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "customer acme-corp: no free subnet left in the network pool 10.213.0.0/27"
                          + " (2 subnets of /28)");
              assertThat(e.detail())
                  .contains(
                      "step=allocate", "customer=acme-corp", "recorded=1", "engine_networks=1");
            });
  }

  private static ProvisionerSettings read(Map<String, String> values) {
    // Durations as Quarkus spells them ("10m"), as the service reads them.
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withMapping(ProvisionerSettings.class)
        .withSources(new PropertiesConfigSource(values, "test", 500))
        .build()
        .getConfigMapping(ProvisionerSettings.class);
  }

  private static ProvisionerSettings.Network settings(String pool, int prefix) {
    Subnet range = new SubnetConverter().convert(pool);
    return new ProvisionerSettings.Network() {
      @Override
      public Subnet pool() {
        return range;
      }

      @Override
      public int subnetPrefix() {
        return prefix;
      }
    };
  }
}
