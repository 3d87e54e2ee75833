package dev.tenantplane.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.gateway.customers.FleetTimeline.FleetEvent;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FleetEventWindowTest {
  private static List<FleetEvent> events(long... seqs) {
    return LongStream.of(seqs)
        .mapToObj(
            seq ->
                new FleetEvent(
                    seq,
                    "acme-" + seq,
                    "id-" + seq,
                    "dev.tenantplane.customer.requested.v1",
                    "REQUEST",
                    Instant.EPOCH,
                    null,
                    null,
                    null))
        .toList();
  }

  private static List<Long> seqs(List<FleetEvent> events) {
    return events.stream().map(FleetEvent::seq).toList();
  }

  @Test
  void aStreamAtOrPastTheStartGetsEveryLaterEventInOrderAndNothingTwice() {
    FleetEventWindow window = new FleetEventWindow(10, 100);
    window.append(events(101, 103, 107));

    assertThat(seqs(window.after(100, 50))).containsExactly(101L, 103L, 107L);
    assertThat(seqs(window.after(101, 50))).containsExactly(103L, 107L);
    assertThat(seqs(window.after(104, 50))).as("between two events").containsExactly(107L);
    assertThat(window.after(107, 50)).isEmpty();
    assertThat(window.after(500, 50)).as("a position past the end waits").isEmpty();
    assertThat(window.through()).isEqualTo(107);
  }

  @Test
  void aReadIsCutAtTheLimitSoAStreamCatchesUpInBatches() {
    FleetEventWindow window = new FleetEventWindow(10, 0);
    window.append(events(1, 2, 3, 4, 5));

    assertThat(seqs(window.after(0, 2))).containsExactly(1L, 2L);
    assertThat(seqs(window.after(2, 2))).containsExactly(3L, 4L);
  }

  @Test
  void theOldestEventsLeaveWhenFullAndStreamsBehindThemAreNoLongerCovered() {
    FleetEventWindow window = new FleetEventWindow(3, 0);
    window.append(events(1, 2, 3));
    assertThat(window.covers(0)).isTrue();

    window.append(events(4, 5));

    assertThat(window.floor()).isEqualTo(2);
    assertThat(window.covers(1)).as("event 2 is gone, so after 1 is not all here").isFalse();
    assertThat(window.covers(2)).isTrue();
    assertThat(seqs(window.after(2, 50))).containsExactly(3L, 4L, 5L);
  }

  @Test
  void eventsReadOutOfOrderAreRefusedRatherThanServedTwice() {
    FleetEventWindow window = new FleetEventWindow(3, 10);

    assertThatThrownBy(() -> window.append(events(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not after the window's end 10");
  }
}
