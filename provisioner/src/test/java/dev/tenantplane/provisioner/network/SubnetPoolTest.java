package dev.tenantplane.provisioner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubnetPoolTest {
  private final SubnetPool pool = SubnetPool.of("10.213.0.0/16", 28);

  @Test
  void cutsThePoolIntoEqualSubnetsFromTheLowest() {
    assertThat(pool.count()).isEqualTo(4096);
    assertThat(pool.get(0)).hasToString("10.213.0.0/28");
    assertThat(pool.get(1)).hasToString("10.213.0.16/28");
    assertThat(pool.get(16)).hasToString("10.213.1.0/28");
    assertThat(pool.get(4095)).hasToString("10.213.255.240/28");
    assertThatThrownBy(() -> pool.get(4096)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void anEmptyPoolOffersItsLowestSubnets() {
    assertThat(pool.lowestFree(List.of(), 3))
        .extracting(Subnet::toString)
        .containsExactly("10.213.0.0/28", "10.213.0.16/28", "10.213.0.32/28");
  }

  @Test
  void skipsTakenSubnetsAndFillsGaps() {
    List<Subnet> taken =
        List.of(
            Subnet.parse("10.213.0.16/28"),
            Subnet.parse("10.213.0.0/28"),
            Subnet.parse("10.213.0.48/28"));

    assertThat(pool.lowestFree(taken, 3))
        .extracting(Subnet::toString)
        .containsExactly("10.213.0.32/28", "10.213.0.64/28", "10.213.0.80/28");
  }

  @Test
  void aLargerTakenNetworkBlocksEverySubnetItOverlaps() {
    List<Subnet> taken =
        List.of(
            Subnet.parse("10.213.0.0/24"), // a site's network: the first 16 subnets
            Subnet.parse("10.213.1.0/28"),
            Subnet.parse("10.0.0.0/8")); // wholly around the pool: blocks it all

    assertThat(pool.lowestFree(taken.subList(0, 2), 2))
        .extracting(Subnet::toString)
        .containsExactly("10.213.1.16/28", "10.213.1.32/28");
    assertThat(pool.lowestFree(taken, 1)).isEmpty();
  }

  @Test
  void networksOutsideThePoolAndSmallerOnesInsideCountCorrectly() {
    List<Subnet> taken =
        List.of(
            Subnet.parse("172.17.0.0/16"),
            Subnet.parse("10.212.255.0/24"),
            Subnet.parse("10.213.0.4/30")); // inside the first /28

    assertThat(pool.lowestFree(taken, 1))
        .extracting(Subnet::toString)
        .containsExactly("10.213.0.16/28");
  }

  @Test
  void aFullPoolHasNothingFree() {
    SubnetPool tiny = SubnetPool.of("10.213.0.0/27", 28);
    List<Subnet> taken = List.of(Subnet.parse("10.213.0.0/28"), Subnet.parse("10.213.0.16/28"));

    assertThat(tiny.count()).isEqualTo(2);
    assertThat(tiny.lowestFree(taken.subList(0, 1), 5)).containsExactly(tiny.get(1));
    assertThat(tiny.lowestFree(taken, 5)).isEmpty();
  }

  @Test
  void refusesASubnetSizeThatDoesNotFitOrHoldsTooFewAddresses() {
    assertThatThrownBy(() -> SubnetPool.of("10.213.0.0/16", 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit in the pool 10.213.0.0/16");
    assertThatThrownBy(() -> SubnetPool.of("10.213.0.0/16", 30)).hasMessageContaining("too small");
    assertThat(SubnetPool.of("10.213.0.0/16", 29).count()).isEqualTo(8192);
    assertThat(SubnetPool.of("10.213.0.0/28", 28).count()).isEqualTo(1);
  }
}
