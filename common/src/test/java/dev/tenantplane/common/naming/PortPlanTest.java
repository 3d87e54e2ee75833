package dev.tenantplane.common.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.PortAssignment;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortPlanTest {

  @Test
  void firstCustomerGetsTheSeedPorts() {
    assertThat(PortPlan.forOffset(1)).isEqualTo(new PortAssignment(3001, 5433, 6380));
    assertThat(PortPlan.forOffset(2)).isEqualTo(new PortAssignment(3002, 5434, 6381));
  }

  @Test
  void requestedPortSetsTheOffsetForAllThree() {
    int offset = PortPlan.offsetForRequestedPort(3005);
    assertThat(offset).isEqualTo(5);
    assertThat(PortPlan.forOffset(offset)).isEqualTo(new PortAssignment(3005, 5437, 6384));
  }

  @Test
  void requestedPortOutsideTheRangeIsRefused() {
    assertThat(PortPlan.problemWithRequestedPort(3000)).isPresent();
    assertThat(PortPlan.problemWithRequestedPort(4000)).isPresent();
    assertThat(PortPlan.problemWithRequestedPort(-1)).isPresent();
    assertThat(PortPlan.problemWithRequestedPort(3001)).isEmpty();
    assertThat(PortPlan.problemWithRequestedPort(3999)).isEmpty();
    assertThat(PortPlan.problemWithRequestedPort(null)).isEmpty();
    assertThatThrownBy(() -> PortPlan.offsetForRequestedPort(80))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void offsetOfInvertsForOffset() {
    assertThat(PortPlan.offsetOf(PortPlan.forOffset(42))).isEqualTo(42);
  }

  @Test
  void firstFreeSkipsOffsetsOfOtherCustomers() {
    Set<Integer> taken = Set.of(1, 2);
    assertThat(PortPlan.firstFree(taken::contains, port -> false))
        .contains(new PortAssignment(3003, 5435, 6382));
  }

  @Test
  void firstFreeSkipsAnOffsetWhenAnyOfItsPortsIsBusyOnTheHost() {
    Set<Integer> busy = Set.of(5433, 6381);
    assertThat(PortPlan.firstFree(offset -> false, busy::contains))
        .contains(new PortAssignment(3003, 5435, 6382));
  }

  @Test
  void firstFreeIsEmptyWhenEveryOffsetIsTaken() {
    assertThat(PortPlan.firstFree(offset -> true, port -> false)).isEmpty();
  }
}
