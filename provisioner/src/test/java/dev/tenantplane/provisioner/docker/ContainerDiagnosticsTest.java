package dev.tenantplane.provisioner.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerDiagnosticsTest {

  @Test
  void scrubsSecretValuesWhereverTheyAppear() {
    String log = "FATAL: password authentication failed, tried s3cr3t-value twice";

    assertThat(ContainerDiagnostics.scrub(log, List.of("s3cr3t-value")))
        .doesNotContain("s3cr3t-value")
        .contains("[redacted]");
  }

  @Test
  void scrubsAssignmentsOfSecretLookingVariables() {
    String log = "env DB_PASSWORD=abc REDIS_PASSWORD: def JWT_SECRET=ghi PORT=3000";

    assertThat(ContainerDiagnostics.scrub(log, List.of()))
        .doesNotContain("abc")
        .doesNotContain("def")
        .doesNotContain("ghi")
        .contains("PORT=3000");
  }

  @Test
  void keepsOnlyTheEndOfALongLog() {
    String log = "x".repeat(5000) + "the end";

    assertThat(ContainerDiagnostics.scrub(log, List.of())).hasSize(2000).endsWith("the end");
  }
}
