package dev.tenantplane.nginx;

import java.util.concurrent.Callable;

/** Waits for a condition the service brings about asynchronously, failing after a bound. */
final class Await {
  private Await() {}

  static void until(Callable<Boolean> condition, String what) throws Exception {
    long deadline = System.nanoTime() + RouteBus.WAIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
