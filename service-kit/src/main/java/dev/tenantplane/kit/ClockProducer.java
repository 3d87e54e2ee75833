package dev.tenantplane.kit;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The clock behind every timestamp a service writes (event times, inbox rows, state changes). One
 * bean, so that a test can put a clock of its own in its place.
 */
public class ClockProducer {

  @Produces
  @Singleton
  @DefaultBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
