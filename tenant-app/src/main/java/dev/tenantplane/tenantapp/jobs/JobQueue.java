package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantplane.tenantapp.TenantAppSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.list.ListCommands;
import io.quarkus.redis.datasource.list.Position;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job queue on the customer's Redis. Lists {@code queued}, {@code processing} and {@code dead}
 * (the failed set); sorted sets {@code unconfirmed} (scored by time), {@code delayed} (scored by
 * when each job may run) and {@code leases} (scored by when the worker's hold on a taken job ends).
 *
 * <p>A new job is noted in {@code unconfirmed} before its row commits and moved onto {@code queued}
 * (or {@code delayed}) once it has; the worker moves it atomically to {@code processing} while it
 * works on it, so a crash cannot lose it, then removes it, schedules another attempt on {@code
 * delayed}, or parks it on {@code dead}. Every move between keys is one script, so a job is never
 * in two places or none.
 */
@ApplicationScoped
public class JobQueue {
  /**
   * Queues a noted job in one step, and only if it is still noted: whoever confirms it first (the
   * request or the sweep) queues it, the other does nothing, so it is queued once.
   */
  private static final String CONFIRM =
      "if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then"
          + " if tonumber(ARGV[2]) > tonumber(ARGV[3]) then"
          + " redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])"
          + " else redis.call('LPUSH', KEYS[2], ARGV[1]) end"
          + " return 1 end return 0";

  /**
   * Takes a job out of processing and its lease, and puts its next form where it goes: {@code list}
   * pushes it on KEYS[3], {@code at} adds it to the sorted set KEYS[3] at ARGV[4], {@code done}
   * nowhere.
   */
  private static final String SETTLE =
      "redis.call('LREM', KEYS[1], 1, ARGV[1]) redis.call('ZREM', KEYS[2], ARGV[1])"
          + " if ARGV[2] == 'list' then redis.call('LPUSH', KEYS[3], ARGV[3])"
          + " elseif ARGV[2] == 'at' then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3]) end"
          + " return 1";

  /** Queues the delayed jobs that are due; answers how many, and when the next one is due. */
  private static final String PROMOTE =
      "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)"
          + " for _, raw in ipairs(due) do redis.call('ZREM', KEYS[1], raw)"
          + " redis.call('LPUSH', KEYS[2], raw) end"
          + " local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')"
          + " return {#due, next[2] or '-1'}";

  /** Queues again, at the front, the taken jobs whose lease ran out. */
  private static final String RECLAIM =
      "local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)"
          + " local n = 0 for _, raw in ipairs(expired) do redis.call('ZREM', KEYS[1], raw)"
          + " if redis.call('LREM', KEYS[2], 1, raw) == 1 then"
          + " redis.call('RPUSH', KEYS[3], raw) n = n + 1 end end return n";

  /** Moves one job from the failed set to the queue, if it is still there. */
  private static final String REVIVE =
      "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then"
          + " redis.call('LPUSH', KEYS[2], ARGV[2]) return 1 end return 0";

  /** Everything {@link QueueStats} reports, read at one instant. */
  private static final String STATS =
      "return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]),"
          + " redis.call('LLEN', KEYS[3]), redis.call('LLEN', KEYS[4]),"
          + " redis.call('LINDEX', KEYS[1], -1) or '', redis.call('GET', KEYS[5]) or ''}";

  private final ObjectMapper json;
  private final ReactiveRedisDataSource reactive;
  private final RedisDataSource blocking;
  private final ListCommands<String, String> lists;
  private final SortedSetCommands<String, String> sortedSets;
  private final Duration visibilityTimeout;
  private final String queued;
  private final String processing;
  private final String dead;
  private final String unconfirmed;
  private final String delayed;
  private final String leases;
  private final String heartbeat;

  public JobQueue(
      ObjectMapper json,
      ReactiveRedisDataSource reactive,
      RedisDataSource blocking,
      TenantAppSettings settings) {
    this.json = json;
    this.reactive = reactive;
    this.blocking = blocking;
    this.lists = blocking.list(String.class);
    this.sortedSets = blocking.sortedSet(String.class);
    this.visibilityTimeout = settings.jobs().visibilityTimeout();
    String prefix = settings.jobs().keyPrefix();
    this.queued = prefix + ":queued";
    this.processing = prefix + ":processing";
    this.dead = prefix + ":dead";
    this.unconfirmed = prefix + ":unconfirmed";
    this.delayed = prefix + ":delayed";
    this.leases = prefix + ":leases";
    this.heartbeat = prefix + ":worker";
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

  /**
   * Queues a noted job whose row committed (on {@code delayed} while its time has not come); false
   * when it was not (or no longer) noted.
   */
  public Uni<Boolean> confirm(String raw) {
    JobMessage job = readOrNull(raw);
    long readyAt = job == null ? 0 : job.readyAt();
    return reactive
        .execute(
            "EVAL",
            CONFIRM,
            "3",
            unconfirmed,
            queued,
            delayed,
            raw,
            Long.toString(readyAt),
            Long.toString(System.currentTimeMillis()))
        .map(response -> response.toInteger() == 1);
  }

  /** Drops a noted job whose row never committed. */
  public Uni<Void> forget(String raw) {
    return reactive.sortedSet(String.class).zrem(unconfirmed, raw).replaceWithVoid();
  }

  /** Noted jobs older than {@code age}: their request did not confirm them (yet). */
  public List<String> unconfirmedOlderThan(Duration age) {
    double until = System.currentTimeMillis() - age.toMillis();
    return sortedSets.zrangebyscore(unconfirmed, ScoreRange.from(Double.NEGATIVE_INFINITY, until));
  }

  /**
   * Waits up to {@code wait} for a job and moves it to the processing list, with a lease of the
   * visibility timeout; empty if none.
   */
  public Optional<String> take(Duration wait) {
    String raw = lists.blmove(queued, processing, Position.RIGHT, Position.LEFT, wait);
    if (raw != null) {
      renewLease(raw);
    }
    return Optional.ofNullable(raw);
  }

  /** Keeps a job in hand the worker's for another visibility timeout. */
  public void renewLease(String taken) {
    sortedSets.zadd(leases, System.currentTimeMillis() + visibilityTimeout.toMillis(), taken);
  }

  public void done(String taken) {
    settle(taken, "done", processing, "", 0);
  }

  /** Another attempt at {@code next.readyAt()}, on the delayed set until then. */
  public void retry(String taken, JobMessage next) {
    settle(taken, "at", delayed, write(next), next.readyAt());
  }

  /** Into the failed set, with its last error. */
  public void park(String taken, JobMessage last) {
    settle(taken, "list", dead, last == null ? taken : write(last), 0);
  }

  /** Puts a job in hand back unchanged, e.g. at shutdown. */
  public void giveBack(String taken) {
    settle(taken, "list", queued, taken, 0);
  }

  private void settle(String taken, String mode, String target, String next, long at) {
    blocking.execute(
        "EVAL", SETTLE, "3", processing, leases, target, taken, mode, next, Long.toString(at));
  }

  /**
   * Queues the delayed jobs that are due; returns how long until the next one is (empty when none
   * waits).
   */
  public Optional<Duration> promoteDue() {
    long now = System.currentTimeMillis();
    var answer = blocking.execute("EVAL", PROMOTE, "2", delayed, queued, Long.toString(now));
    long next = (long) Double.parseDouble(answer.get(1).toString());
    return next < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.max(0, next - now)));
  }

  /** Queues again the taken jobs whose worker stopped renewing their lease; returns how many. */
  public int reclaimExpired() {
    return blocking
        .execute(
            "EVAL",
            RECLAIM,
            "3",
            leases,
            processing,
            queued,
            Long.toString(System.currentTimeMillis()))
        .toInteger();
  }

  /**
   * Returns every job a stopped worker left in processing to the front of the queue. Only for the
   * worker's start: the platform runs one worker per customer, so what is in processing then is
   * nobody's.
   */
  public int recover() {
    int moved = 0;
    while (lists.lmove(processing, queued, Position.RIGHT, Position.RIGHT) != null) {
      moved++;
    }
    blocking.key(String.class).del(leases);
    return moved;
  }

  /**
   * Moves a job of the failed set back to the queue for a fresh set of attempts; false when it is
   * not in the failed set (never failed, or retried already).
   */
  public Uni<Boolean> revive(UUID jobId) {
    return reactive
        .list(String.class)
        .lrange(dead, 0, -1)
        .chain(
            entries -> {
              for (String raw : entries) {
                JobMessage job = readOrNull(raw);
                if (job != null && jobId.equals(job.jobId())) {
                  String next = write(job.retried(System.currentTimeMillis()));
                  return reactive
                      .execute("EVAL", REVIVE, "2", dead, queued, raw, next)
                      .map(response -> response.toInteger() == 1);
                }
              }
              return Uni.createFrom().item(false);
            });
  }

  /** Writes the worker's heartbeat, which counts for {@code ttl}. */
  public void beat(WorkerHeartbeat.Beat beat, Duration ttl) {
    blocking.value(String.class).psetex(heartbeat, ttl.toMillis(), write(beat));
  }

  /** The queue's counts and the worker's last heartbeat, as the health endpoint reports them. */
  public Uni<QueueStats> stats() {
    return reactive
        .execute("EVAL", STATS, "5", queued, delayed, processing, dead, heartbeat)
        .map(this::stats);
  }

  private QueueStats stats(Response answer) {
    long now = System.currentTimeMillis();
    JobMessage oldest = readOrNull(answer.get(4).toString());
    double oldestWaiting = oldest == null ? 0 : Math.max(0, now - oldest.readyAt()) / 1000.0;
    WorkerHeartbeat.Beat beat = null;
    String rawBeat = answer.get(5).toString();
    if (!rawBeat.isEmpty()) {
      try {
        beat = json.readValue(rawBeat, WorkerHeartbeat.Beat.class);
      } catch (JsonProcessingException e) {
        beat = null;
      }
    }
    return new QueueStats(
        answer.get(0).toLong(),
        answer.get(1).toLong(),
        answer.get(2).toLong(),
        answer.get(3).toLong(),
        oldestWaiting,
        beat);
  }

  public List<JobMessage> deadJobs() {
    return lists.lrange(dead, 0, -1).stream().map(this::readOrNull).toList();
  }

  public long queuedCount() {
    return lists.llen(queued);
  }

  public long delayedCount() {
    return sortedSets.zcard(delayed);
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
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return read(raw);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value, e);
    }
  }
}
