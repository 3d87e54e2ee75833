package dev.tenantplane.health;

/**
 * A customer's job queue as its app counts it: jobs waiting to run, delayed (until their delay or
 * back-off ends), running, failed for good, and the age of the oldest waiting job. The component
 * names are the JSON field names, in the app's body and in {@link CurrentHealthStore}'s copy.
 */
public record QueueStats(
    long waiting, long delayed, long running, long failed, double oldestWaitingSeconds) {}
