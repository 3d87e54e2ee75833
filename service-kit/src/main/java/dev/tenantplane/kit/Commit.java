package dev.tenantplane.kit;

import dev.tenantplane.common.events.LifecycleEvent;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The transactional part of a step: state writes (through Panache, in the current session) that
 * yield the events to publish. Run by {@link StepRunner} inside the transaction that also records
 * the inbox row and writes the outbox.
 */
@FunctionalInterface
public interface Commit {
  Uni<List<LifecycleEvent>> apply();

  /** Runs once this commit is stored; by default nothing. Never runs for a duplicate. */
  default void afterCommit() {}

  /**
   * This commit, then {@code after} once it is stored: for work that needs the committed rows, such
   * as probing a customer the step just started to watch.
   */
  default Commit andAfterCommit(Runnable after) {
    Commit self = this;
    return new Commit() {
      @Override
      public Uni<List<LifecycleEvent>> apply() {
        return self.apply();
      }

      @Override
      public void afterCommit() {
        self.afterCommit();
        after.run();
      }
    };
  }

  /** A step that writes no state of its own and emits {@code events}. */
  static Commit emit(LifecycleEvent... events) {
    List<LifecycleEvent> list = List.of(events);
    return () -> Uni.createFrom().item(list);
  }
}
