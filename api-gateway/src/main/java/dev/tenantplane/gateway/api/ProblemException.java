package dev.tenantplane.gateway.api;

/** Ends a request with a problem-details answer, with a Retry-After header when one is given. */
public class ProblemException extends RuntimeException {
  private final transient Problem problem;
  private final Integer retryAfterSeconds;

  public ProblemException(Problem problem) {
    this(problem, null);
  }

  public ProblemException(Problem problem, Integer retryAfterSeconds) {
    super(problem.detail());
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Problem problem() {
    return problem;
  }

  /** Seconds the client should wait before trying again, or null. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
