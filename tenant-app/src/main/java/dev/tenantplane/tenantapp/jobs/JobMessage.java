package dev.tenantplane.tenantapp.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * A job as it travels through Redis: which row of {@code jobs} it is, for which organization, and
 * how often it was tried. {@code lastError} is filled when it is parked in the dead list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMessage(
    UUID jobId, UUID organizationId, String kind, int attempts, String lastError) {

  public JobMessage retried(int attempts, String error) {
    return new JobMessage(jobId, organizationId, kind, attempts, error);
  }
}
