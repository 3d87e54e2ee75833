package dev.tenantplane.health;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stand-ins of a fleet saw of the monitor's probes. A customer's probe is counted when its
 * nginx route is asked (the probe names the customer there); it is in flight from then until its
 * Redis answered {@code PING} (the app, nginx, PostgreSQL and Redis are probed in this order, so
 * this leaves out only the app's own probe before it). Times are {@link System#nanoTime}.
 */
final class ProbeLog {
  private final Map<String, Integer> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> byRole = new ConcurrentHashMap<>();
  private final Map<String, Integer> byRedisPassword = new ConcurrentHashMap<>();
  private long[] times = new long[1 << 16];
  private int[] customers = new int[1 << 16];
  private int size;
  private boolean[] open = new boolean[0];
  private int inFlight;
  private int mostInFlight;
  private int sessions;
  private int mostSessions;

  /** Customer {@code index} is known by these names to the stand-ins. */
  synchronized void add(int index, String customerId, String appRole, String redisPassword) {
    byId.put(customerId, index);
    byRole.put(appRole, index);
    byRedisPassword.put(redisPassword, index);
    if (index >= open.length) {
      open = Arrays.copyOf(open, Math.max(index + 1, open.length * 2));
    }
  }

  /** Nginx was asked for {@code /<id>/api/health}. */
  void routeProbed(String customerId) {
    Integer index = byId.get(customerId);
    if (index != null) {
      probed(index);
    }
  }

  private synchronized void probed(int index) {
    long at = System.nanoTime();
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      customers = Arrays.copyOf(customers, size * 2);
    }
    times[size] = at;
    customers[size++] = index;
    if (!open[index]) {
      open[index] = true;
      mostInFlight = Math.max(mostInFlight, ++inFlight);
    }
  }

  /** A PostgreSQL session of the app role {@code role} began (true) or ended (false). */
  synchronized void session(boolean begins) {
    sessions += begins ? 1 : -1;
    mostSessions = Math.max(mostSessions, sessions);
  }

  /** Redis answered {@code PING} to a client that logged in with {@code password}. */
  synchronized void redisPinged(String password) {
    Integer index = password == null ? null : byRedisPassword.get(password);
    if (index != null && open[index]) {
      open[index] = false;
      inFlight--;
    }
  }

  boolean knowsRole(String role) {
    return byRole.containsKey(role);
  }

  /** Forgets the peaks (and probes left unfinished, e.g. by a host that went down). */
  synchronized void resetPeaks() {
    Arrays.fill(open, false);
    inFlight = 0;
    mostInFlight = 0;
    mostSessions = sessions;
  }

  synchronized int mostInFlight() {
    return mostInFlight;
  }

  synchronized int mostSessions() {
    return mostSessions;
  }

  /** Customers' probes between two times. */
  synchronized Window between(long from, long to) {
    int first = Arrays.binarySearch(times, 0, size, from);
    first = first < 0 ? -first - 1 : first;
    int last = Arrays.binarySearch(times, 0, size, to);
    last = last < 0 ? -last - 1 : last;
    return new Window(
        from,
        to,
        Arrays.copyOfRange(times, first, last),
        Arrays.copyOfRange(customers, first, last),
        byId.size());
  }

  /** The probes of a time window, in the order they came. */
  record Window(long from, long to, long[] times, int[] customers, int fleet) {
    int probes() {
      return times.length;
    }

    /** Longest time between two probes of one customer within the window (ns). */
    long longestGap() {
      long[] last = new long[fleet];
      long longest = 0;
      for (int i = 0; i < times.length; i++) {
        int c = customers[i];
        if (last[c] != 0) {
          longest = Math.max(longest, times[i] - last[c]);
        }
        last[c] = times[i];
      }
      return longest;
    }

    /** The fewest and the most probes one customer had within the window. */
    int[] probesPerCustomer() {
      int[] seen = new int[fleet];
      for (int c : customers) {
        seen[c]++;
      }
      return new int[] {Arrays.stream(seen).min().orElse(0), Arrays.stream(seen).max().orElse(0)};
    }

    /** Most probes within one second (seconds counted from the window's start). */
    int peakPerSecond() {
      int seconds = (int) ((to - from) / 1_000_000_000L) + 1;
      int[] buckets = new int[seconds];
      for (long t : times) {
        buckets[(int) ((t - from) / 1_000_000_000L)]++;
      }
      return Arrays.stream(buckets).max().orElse(0);
    }

    double perSecond() {
      return probes() * 1e9 / (to - from);
    }
  }
}
