package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a {@link DiagnosticJob} does: wait {@code millis}, and fail its first {@code failRuns} runs.
 * Empty for a deal summary, which needs nothing.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record JobParameters(int millis, int failRuns) {
  public static final int MAX_MILLIS = 60_000;
  public static final int MAX_FAIL_RUNS = 10;
  public static final JobParameters NONE = new JobParameters(0, 0);
}
