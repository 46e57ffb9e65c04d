package io.opsd.api.collector;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How one collector is doing.
 *
 * @param name the collector's name
 * @param schedule the schedule in force
 * @param latest the last successful sample, if any (kept when later collections fail)
 * @param stale true when the last collection failed or timed out, or no sample is younger than two intervals
 *     plus the timeout
 * @param lastError what went wrong in the last failed collection, until one succeeds
 * @param lastDuration how long the last finished collection took
 * @param collections collections started since the collector was scheduled
 * @param errors collections that threw
 * @param timeouts collections that ran past the timeout
 * @param skipped ticks skipped because the previous collection was still running
 * @param scheduledSince when the current schedule began (unchanged unless this collector's schedule changed)
 * @param cpuTime CPU time the collections have used since the collector was scheduled
 */
public record CollectorStatus(String name, CollectorSchedule schedule, Optional<MetricSet> latest, boolean stale,
                              Optional<String> lastError, Duration lastDuration, long collections, long errors,
                              long timeouts, long skipped, Instant scheduledSince,
                              Duration cpuTime) {

    /** Age of the latest sample at {@code now}. */
    public Optional<Duration> age(Instant now) {
        return latest.map(set -> Duration.between(set.time(), now));
    }
}
