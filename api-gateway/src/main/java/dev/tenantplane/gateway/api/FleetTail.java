package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.GatewaySettings;
import dev.tenantplane.gateway.customers.FleetTimeline;
import dev.tenantplane.gateway.customers.FleetTimeline.FleetEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The end of the fleet's timeline, read once for every fleet stream of this instance. Each stream
 * used to read the table itself after every change, so a hundred clients made a hundred reads per
 * change and slowed the projection that writes it; now one read at a time fills a {@link
 * FleetEventWindow}, at the pace {@link StreamPace} sets for a single stream and at most once per
 * {@code sse-poll-interval}, and the streams take their events from it. A stream further behind
 * than the window reads the table itself until it has caught up.
 */
@ApplicationScoped
public class FleetTail {
  /** Events kept: a few minutes of a busy fleet, a few MiB of memory. */
  static final int WINDOW = 10_000;

  /** Events read at once, so a window far behind catches up in bounded reads. */
  static final int BATCH = 500;

  private static final Logger LOG = Logger.getLogger(FleetTail.class);

  private final FleetTimeline timeline;
  private final GatewaySettings settings;
  private final TimelineSignals signals;
  private final Clock clock;
  private final StreamPace pace;
  private FleetEventWindow window;
  private CompletableFuture<FleetEventWindow> reading;
  private Instant lastRead = Instant.MIN;
  private boolean behind;

  public FleetTail(
      FleetTimeline timeline, GatewaySettings settings, TimelineSignals signals, Clock clock) {
    this.timeline = timeline;
    this.settings = settings;
    this.signals = signals;
    this.clock = clock;
    this.pace =
        new StreamPace(
            FleetTimeline.SETTLE.plus(settings.ssePollInterval().multipliedBy(2)),
            settings.sseFallbackInterval());
  }

  /**
   * The position a stream without a resume point starts from: the newest event in the table, which
   * may be ahead of the window (it waits for rows to settle) but is never behind its floor once the
   * window exists.
   */
  public Uni<Long> end() {
    return timeline.newestSeq();
  }

  /** Up to {@code limit} settled events after {@code seq}, in order. */
  public Uni<List<FleetEvent>> after(long seq, int limit) {
    return refreshed()
        .chain(
            window ->
                window.covers(seq)
                    ? Uni.createFrom().item(window.after(seq, limit))
                    : timeline.after(seq, limit));
  }

  /** The window, after the read this call joined or started, if one was due. */
  private Uni<FleetEventWindow> refreshed() {
    return Uni.createFrom().completionStage(this::turn);
  }

  private synchronized CompletableFuture<FleetEventWindow> turn() {
    if (reading != null) {
      return reading;
    }
    Instant now = clock.instant();
    if (window != null
        && (now.isBefore(lastRead.plus(settings.ssePollInterval()))
            || !behind && !pace.readNow(signals.fleetMark(), signals.listening(), now))) {
      return CompletableFuture.completedFuture(window);
    }
    lastRead = now;
    CompletableFuture<FleetEventWindow> done = new CompletableFuture<>();
    reading = done;
    if (window == null) {
      timeline
          .newestSeq()
          .subscribe()
          .with(
              newest -> finish(done, () -> window = new FleetEventWindow(WINDOW, newest)),
              error -> failed(done, error));
    } else {
      timeline
          .after(window.through(), BATCH)
          .subscribe()
          .with(
              events ->
                  finish(
                      done,
                      () -> {
                        window.append(events);
                        behind = events.size() == BATCH;
                      }),
              error -> failed(done, error));
    }
    return done;
  }

  /** Completes outside the lock: the streams waiting on it go on in this thread. */
  private void finish(CompletableFuture<FleetEventWindow> done, Runnable apply) {
    FleetEventWindow read;
    try {
      synchronized (this) {
        apply.run();
        reading = null;
        read = window;
      }
    } catch (RuntimeException e) {
      failed(done, e);
      return;
    }
    done.complete(read);
  }

  /** The streams see the window as it was, and the next turn reads again. */
  private void failed(CompletableFuture<FleetEventWindow> done, Throwable error) {
    LOG.warnf("event=fleet-tail-read-failed error=%s", error.getMessage());
    FleetEventWindow kept;
    synchronized (this) {
      kept = window;
      behind = kept != null;
      reading = null;
    }
    if (kept != null) {
      done.complete(kept);
    } else {
      done.completeExceptionally(error);
    }
  }
}
