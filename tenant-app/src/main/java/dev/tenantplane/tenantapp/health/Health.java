package dev.tenantplane.tenantapp.health;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /api/health} reports for the state of the app's dependencies. Without its database
 * the app serves nothing ({@code unhealthy}); without Redis the API works but jobs wait ({@code
 * degraded}). Either way the answer is 503 so that a health check notices.
 */
public record Health(String status, int httpStatus, List<String> failing) {
  public static final String DATABASE = "database";
  public static final String REDIS = "redis";

  public static Health of(boolean databaseUp, boolean redisUp) {
    List<String> failing = new ArrayList<>();
    if (!databaseUp) {
      failing.add(DATABASE);
    }
    if (!redisUp) {
      failing.add(REDIS);
    }
    if (failing.isEmpty()) {
      return new Health("healthy", 200, List.of());
    }
    return new Health(databaseUp ? "degraded" : "unhealthy", 503, List.copyOf(failing));
  }
}
