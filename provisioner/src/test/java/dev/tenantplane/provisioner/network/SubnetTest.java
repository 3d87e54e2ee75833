package dev.tenantplane.provisioner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetTest {
  @Test
  void parsesAndPrintsTheCanonicalForm() {
    Subnet subnet = Subnet.parse(" 10.213.0.16/28 ");

    assertThat(subnet.toString()).isEqualTo("10.213.0.16/28");
    assertThat(subnet.size()).isEqualTo(16);
    assertThat(subnet.gateway()).isEqualTo("10.213.0.17");
    assertThat(Subnet.parse("255.255.255.240/28").last()).isEqualTo(0xFFFF_FFFFL);
    assertThat(Subnet.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
  }

  @Test
  void refusesWhatIsNotAnIpv4NetworkAddress() {
    assertThatThrownBy(() -> Subnet.parse("10.213.0.17/28"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a network address")
        .hasMessageContaining("10.213.0.16/28");
    assertThatThrownBy(() -> Subnet.parse("10.213.0.0")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> Subnet.parse("10.213.0.0/33")).hasMessageContaining("/33");
    assertThatThrownBy(() -> Subnet.parse("10.256.0.0/16")).hasMessageContaining("256");
    assertThatThrownBy(() -> Subnet.parse("fd00::/64")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> Subnet.parse(null)).hasMessageContaining("CIDR");
    assertThat(Subnet.parseOrNull("fd00::/64")).isNull();
  }

  @Test
  void overlapMeansSharingAnyAddress() {
    Subnet a = Subnet.parse("10.213.0.0/28");
    Subnet next = Subnet.parse("10.213.0.16/28");
    Subnet around = Subnet.parse("10.213.0.0/27");

    assertThat(a.overlaps(next)).isFalse();
    assertThat(next.overlaps(a)).isFalse();
    assertThat(a.overlaps(a)).isTrue();
    assertThat(around.overlaps(next)).isTrue();
    assertThat(next.overlaps(around)).isTrue();
    assertThat(around.contains(next)).isTrue();
    assertThat(next.contains(around)).isFalse();
  }

  @Test
  void ordersByAddress() {
    assertThat(Subnet.parse("10.213.1.0/28")).isGreaterThan(Subnet.parse("10.213.0.240/28"));
    assertThat(Subnet.parse("200.0.0.0/8")).isGreaterThan(Subnet.parse("10.0.0.0/8"));
  }
}
