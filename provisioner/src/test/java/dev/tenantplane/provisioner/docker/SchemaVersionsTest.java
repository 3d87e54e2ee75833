package dev.tenantplane.provisioner.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaVersionsTest {
  @Test
  void laterVersionsAreNewerPartByPartAsNumbers() {
    assertThat(SchemaVersions.newer("2", "1")).isTrue();
    assertThat(SchemaVersions.newer("10", "9")).isTrue();
    assertThat(SchemaVersions.newer("1.1", "1")).isTrue();
    assertThat(SchemaVersions.newer("2024.01.15", "2024.1.2")).isTrue();
  }

  @Test
  void equalOrEarlierVersionsAreNotNewer() {
    assertThat(SchemaVersions.newer("1", "1")).isFalse();
    assertThat(SchemaVersions.newer("1.0", "1")).isFalse();
    assertThat(SchemaVersions.newer("1", "2")).isFalse();
    assertThat(SchemaVersions.newer("9", "10")).isFalse();
  }

  @Test
  void aDatabaseNoMigrationReachedIsOlderThanAnyVersion() {
    assertThat(SchemaVersions.newer("1", null)).isTrue();
    assertThat(SchemaVersions.newer(null, "1")).isFalse();
    assertThat(SchemaVersions.newer(null, null)).isFalse();
  }
}
