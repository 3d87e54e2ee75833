package dev.tenantplane.gateway.backups;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaVersionsTest {
  @Test
  void aHigherVersionPartByPartIsNewer() {
    assertThat(SchemaVersions.newer("2", "1")).isTrue();
    assertThat(SchemaVersions.newer("10", "9")).as("numbers, not text").isTrue();
    assertThat(SchemaVersions.newer("2.1", "2")).isTrue();
    assertThat(SchemaVersions.newer("1.10", "1.9")).isTrue();
  }

  @Test
  void theSameOrAnOlderVersionIsNotNewer() {
    assertThat(SchemaVersions.newer("1", "1")).isFalse();
    assertThat(SchemaVersions.newer("2.0", "2")).isFalse();
    assertThat(SchemaVersions.newer("1", "2")).isFalse();
    assertThat(SchemaVersions.newer("9", "10")).isFalse();
  }

  @Test
  void anUnknownOrUnreadableVersionDecidesNothing() {
    assertThat(SchemaVersions.newer(null, "1")).isFalse();
    assertThat(SchemaVersions.newer("2", null)).isFalse();
    assertThat(SchemaVersions.newer("2; DROP", "1")).isFalse();
  }
}
