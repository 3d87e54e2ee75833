package dev.tenantplane.tenantapp.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void bothUpIsHealthy() {
    Health health = Health.of(true, true);
    assertThat(health.status()).isEqualTo("healthy");
    assertThat(health.httpStatus()).isEqualTo(200);
    assertThat(health.failing()).isEmpty();
  }

  @Test
  void redisDownIsDegradedAnd503NamingRedis() {
    Health health = Health.of(true, false);
    assertThat(health.status()).isEqualTo("degraded");
    assertThat(health.httpStatus()).isEqualTo(503);
    assertThat(health.failing()).containsExactly("redis");
  }

  @Test
  void databaseDownIsUnhealthy() {
    Health health = Health.of(false, true);
    assertThat(health.status()).isEqualTo("unhealthy");
    assertThat(health.httpStatus()).isEqualTo(503);
    assertThat(health.failing()).containsExactly("database");
  }

  @Test
  void bothDownNamesBoth() {
    assertThat(Health.of(false, false).failing()).containsExactly("database", "redis");
  }
}
