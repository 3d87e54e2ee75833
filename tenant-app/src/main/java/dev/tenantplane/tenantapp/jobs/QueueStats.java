package dev.tenantplane.tenantapp.jobs;

/**
 * A customer's queue at one instant: jobs waiting to run, delayed (until their delay or back-off
 * ends), running, failed for good; the age of the oldest waiting job; the worker's last heartbeat,
 * null when none counts any more.
 */
public record QueueStats(
    long waiting,
    long delayed,
    long running,
    long failed,
    double oldestWaitingSeconds,
    WorkerHeartbeat.Beat heartbeat) {}
