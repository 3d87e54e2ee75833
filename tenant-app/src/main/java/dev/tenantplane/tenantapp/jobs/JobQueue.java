package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.tenantapp.TenantAppSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.list.ListCommands;
import io.quarkus.redis.datasource.list.Position;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The job queue on the customer's Redis: three lists and a sorted set. A new job is first noted in
 * {@code unconfirmed} (scored by time) before its row commits, and moved onto {@code queued} once
 * it has; the worker moves it atomically to {@code processing} while it works on it (so a crash
 * cannot lose it), then removes it, puts it back on {@code queued} for another attempt, or parks it
 * on {@code dead}.
 */
@ApplicationScoped
public class JobQueue {
  /**
   * Moves a job from {@code unconfirmed} to {@code queued} in one step, and only if it is still
   * unconfirmed: whoever confirms it first (the request or the sweep) queues it, the other does
   * nothing, so it is queued once.
   */
  private static final String CONFIRM =
      "if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then"
          + " redis.call('LPUSH', KEYS[2], ARGV[1]) return 1 end return 0";

  private final ObjectMapper json;
  private final ReactiveRedisDataSource reactive;
  private final RedisDataSource blocking;
  private final ListCommands<String, String> lists;
  private final String queued;
  private final String processing;
  private final String dead;
  private final String unconfirmed;

  public JobQueue(
      ObjectMapper json,
      ReactiveRedisDataSource reactive,
      RedisDataSource blocking,
      TenantAppSettings settings) {
    this.json = json;
    this.reactive = reactive;
    this.blocking = blocking;
    this.lists = blocking.list(String.class);
    String prefix = settings.jobs().keyPrefix();
    this.queued = prefix + ":queued";
    this.processing = prefix + ":processing";
    this.dead = prefix + ":dead";
    this.unconfirmed = prefix + ":unconfirmed";
  }

  /**
   * Notes a job about to be committed; returns the entry that {@link #confirm} or {@link #forget}
   * take. Fails when Redis does not answer, before anything is written to the database.
   */
  public Uni<String> intend(JobMessage job) {
    String raw = write(job);
    return reactive
        .sortedSet(String.class)
        .zadd(unconfirmed, System.currentTimeMillis(), raw)
        .replaceWith(raw);
  }

  /** Queues a noted job whose row committed; false when it was not (or no longer) noted. */
  public Uni<Boolean> confirm(String raw) {
    return reactive
        .execute("EVAL", CONFIRM, "2", unconfirmed, queued, raw)
        .map(response -> response.toInteger() == 1);
  }

  /** Drops a noted job whose row never committed. */
  public Uni<Void> forget(String raw) {
    return reactive.sortedSet(String.class).zrem(unconfirmed, raw).replaceWithVoid();
  }

  /** Noted jobs older than {@code age}: their request did not confirm them (yet). */
  public List<String> unconfirmedOlderThan(Duration age) {
    double until = System.currentTimeMillis() - age.toMillis();
    return blocking
        .sortedSet(String.class)
        .zrangebyscore(unconfirmed, ScoreRange.from(Double.NEGATIVE_INFINITY, until));
  }

  /** Waits up to {@code wait} for a job and moves it to the processing list; empty if none. */
  public Optional<String> take(Duration wait) {
    return Optional.ofNullable(
        lists.blmove(queued, processing, Position.RIGHT, Position.LEFT, wait));
  }

  public void done(String taken) {
    lists.lrem(processing, 1, taken);
  }

  /** Another attempt later: back of the queue first, then out of processing, so never lost. */
  public void retry(String taken, JobMessage next) {
    lists.lpush(queued, write(next));
    lists.lrem(processing, 1, taken);
  }

  public void park(String taken, JobMessage last) {
    lists.lpush(dead, last == null ? taken : write(last));
    lists.lrem(processing, 1, taken);
  }

  /** Puts a job in hand back unchanged, e.g. at shutdown. */
  public void giveBack(String taken) {
    lists.lpush(queued, taken);
    lists.lrem(processing, 1, taken);
  }

  /** Returns every job a stopped worker left in processing to the queue. */
  public int recover() {
    int moved = 0;
    while (lists.lmove(processing, queued, Position.RIGHT, Position.RIGHT) != null) {
      moved++;
    }
    return moved;
  }

  public List<JobMessage> deadJobs() {
    return lists.lrange(dead, 0, -1).stream().map(this::readOrNull).toList();
  }

  public long queuedCount() {
    return lists.llen(queued);
  }

  public long processingCount() {
    return lists.llen(processing);
  }

  /** Every job waiting on the queue, newest first. */
  public List<JobMessage> queuedJobs() {
    return lists.lrange(queued, 0, -1).stream().map(this::readOrNull).toList();
  }

  public JobMessage read(String raw) throws JsonProcessingException {
    return json.readValue(raw, JobMessage.class);
  }

  private JobMessage readOrNull(String raw) {
    try {
      return read(raw);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String write(JobMessage job) {
    try {
      return json.writeValueAsString(job);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise job " + job.jobId(), e);
    }
  }
}
