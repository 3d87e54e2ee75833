package dev.tenantplane.health;

import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.SkippedExecution;
import io.quarkus.scheduler.SuccessfulExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When each probe round ran, as the scheduler tells it: from its firing until {@link
 * HealthRound#run} returned (every claimed customer probed and recorded), and how many firings were
 * skipped because the round before was still running. Times are {@link System#nanoTime}.
 */
@ApplicationScoped
public class RoundTimes {
  /** One round, from its firing to its end. */
  public record Round(long start, long end) {
    long nanos() {
      return end - start;
    }
  }

  private final List<Round> rounds = new ArrayList<>();
  private int skipped;

  void ended(@Observes SuccessfulExecution done) {
    if (isRound(done.getExecution())) {
      long now = System.nanoTime();
      long took = Duration.between(done.getExecution().getFireTime(), Instant.now()).toNanos();
      synchronized (this) {
        rounds.add(new Round(now - took, now));
      }
    }
  }

  void skipped(@Observes SkippedExecution skip) {
    if (isRound(skip.getExecution())) {
      synchronized (this) {
        skipped++;
      }
    }
  }

  private static boolean isRound(ScheduledExecution execution) {
    return execution
        .getTrigger()
        .getMethodDescription()
        .contains(HealthRound.class.getSimpleName());
  }

  /** The rounds that started at or after {@code from}. */
  synchronized List<Round> since(long from) {
    return rounds.stream().filter(r -> r.start() >= from).toList();
  }

  synchronized int skipped() {
    return skipped;
  }
}
