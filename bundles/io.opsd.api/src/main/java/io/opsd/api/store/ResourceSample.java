package io.opsd.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One resource sample of an agent's whole process tree, as the supervisor measured it.
 *
 * @param time when it was taken
 * @param cpuPercent CPU over the sampling interval, in percent of one core (may exceed 100 on several cores)
 * @param rssBytes resident memory
 * @param vmsBytes virtual memory
 * @param diskReadBytes bytes read from storage since the process started
 * @param diskWriteBytes bytes written to storage since the process started
 * @param openFiles open file descriptors
 * @param threads threads
 */
public record ResourceSample(Instant time, double cpuPercent, long rssBytes, long vmsBytes, long diskReadBytes,
                             long diskWriteBytes, int openFiles, int threads) {

    public ResourceSample {
        Objects.requireNonNull(time, "time");
    }
}
