package dev.tenantplane.kit;

import dev.tenantplane.common.events.CustomerSuspendRequested;
import dev.tenantplane.common.events.CustomerSuspended;
import dev.tenantplane.common.events.Step;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

/**
 * A step used only by the kit's tests. Customers named {@code fails-*} fail every attempt; {@code
 * flaky-*} fail the first attempt only; {@code hopeless-*} fail with a non-retryable error.
 */
@ApplicationScoped
public class SuspendStep {
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final Map<String, List<String>> logContexts = new ConcurrentHashMap<>();
  private final StepRunner runner;

  public SuspendStep(StepRunner runner) {
    this.runner = runner;
  }

  /** How often the step ran for a customer (a method: fields of a bean read through its proxy). */
  public int calls(String customerId) {
    AtomicInteger count = calls.get(customerId);
    return count == null ? 0 : count.get();
  }

  /** The logging context each attempt ran in: "customer event step consumer", one per call. */
  public List<String> logContexts(String customerId) {
    return List.copyOf(logContexts.getOrDefault(customerId, List.of()));
  }

  @Incoming("suspend-requested")
  public CompletionStage<Void> on(Message<byte[]> record) {
    return runner.submit(
        record, "kit-test.suspend", Step.SUSPEND, CustomerSuspendRequested.class, this::suspend);
  }

  /** Lets the step of a {@code held-} customer finish; until then it waits (at most a minute). */
  public void release(String customerId) {
    held(customerId).countDown();
  }

  private CountDownLatch held(String customerId) {
    return holds.computeIfAbsent(customerId, k -> new CountDownLatch(1));
  }

  private Commit suspend(CustomerSuspendRequested request) throws Exception {
    String id = request.customerId();
    int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    logContexts
        .computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
        .add(
            MDC.get(StepLogContext.CUSTOMER)
                + " "
                + MDC.get(StepLogContext.EVENT)
                + " "
                + MDC.get(StepLogContext.STEP)
                + " "
                + MDC.get(StepLogContext.CONSUMER));
    if (id.startsWith("held-") && !held(id).await(1, TimeUnit.MINUTES)) {
      throw new StepException("customer " + id + " was never released", false, null);
    }
    if (id.startsWith("fails-") || (id.startsWith("flaky-") && call == 1)) {
      throw new StepException("container app-" + id + " would not stop", true, "exit code 1");
    }
    if (id.startsWith("hopeless-")) {
      throw new StepException("no such customer " + id, false, null);
    }
    return Commit.emit(new CustomerSuspended(request.meta().next(Clock.systemUTC())));
  }
}
