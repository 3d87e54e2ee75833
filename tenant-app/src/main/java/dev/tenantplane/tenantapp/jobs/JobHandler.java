package dev.tenantplane.tenantapp.jobs;

/**
 * What runs jobs of one kind. {@link #run} records the job's result on its row; it may run more
 * than once for the same job (delivery is at least once), so it must give the same outcome each
 * time.
 */
public interface JobHandler {
  String kind();

  /**
   * Runs one attempt ({@code job.runs() + 1} in all).
   *
   * @throws RuntimeException when the attempt fails; its message becomes the job's last error
   */
  void run(JobMessage job);
}
