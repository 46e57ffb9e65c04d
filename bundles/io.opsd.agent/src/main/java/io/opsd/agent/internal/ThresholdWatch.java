package io.opsd.agent.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.opsd.api.text.ByteSizes;

/**
 * Decides when an agent's CPU or RSS has been over its limit long enough to act on. Each metric has its own run: it
 * starts at the first observation over the limit and ends at the first one that is not (an unknown value, NaN CPU or
 * negative RSS, is not over). Once a run has lasted {@code duration}, every observation that continues it returns a
 * reason; call {@link #reset()} after acting on it. Runs are measured on a monotonic clock ({@code System.nanoTime()}),
 * never the wall clock: setting the system clock an hour forward must not make a short spike look an hour long.
 * Thread-safe.
 */
final class ThresholdWatch {

    private double cpuPercentLimit;
    private long rssBytesLimit;
    private Duration duration;
    /** monotonic nanoseconds of the run's first observation over the limit, or null when there is no run */
    private Long cpuOverSince;
    private Long rssOverSince;

    /**
     * @param cpuPercentLimit CPU of the whole process tree, in percent of one core; 0 or less disables the check
     * @param rssBytesLimit resident memory of the whole process tree, in bytes; 0 or less disables the check
     * @param duration how long a value must stay over its limit before it counts
     */
    ThresholdWatch(double cpuPercentLimit, long rssBytesLimit, Duration duration) {
        validate(cpuPercentLimit, duration);
        this.cpuPercentLimit = cpuPercentLimit;
        this.rssBytesLimit = rssBytesLimit;
        this.duration = duration;
    }

    /**
     * Applies new settings. A metric whose limit changed starts over; runs of unchanged limits keep going and are
     * judged against the new duration.
     */
    synchronized void limits(double cpuPercentLimit, long rssBytesLimit, Duration duration) {
        validate(cpuPercentLimit, duration);
        if (Double.compare(cpuPercentLimit, this.cpuPercentLimit) != 0) {
            cpuOverSince = null;
        }
        if (rssBytesLimit != this.rssBytesLimit) {
            rssOverSince = null;
        }
        this.cpuPercentLimit = cpuPercentLimit;
        this.rssBytesLimit = rssBytesLimit;
        this.duration = duration;
    }

    /**
     * Records one measurement and returns why to act, such as {@code cpu 87.5% over the 50% limit for 60s}, when a
     * metric has now been over its limit for at least the duration (both reasons, joined, when both have).
     *
     * @param nanos when the measurement was taken, in monotonic nanoseconds ({@code System.nanoTime()})
     */
    synchronized Optional<String> observe(long nanos, double cpuPercent, long rssBytes) {
        cpuOverSince = cpuPercentLimit > 0 && cpuPercent > cpuPercentLimit ? runStart(cpuOverSince, nanos) : null;
        rssOverSince = rssBytesLimit > 0 && rssBytes > rssBytesLimit ? runStart(rssOverSince, nanos) : null;
        List<String> reasons = new ArrayList<>(2);
        if (lastedLongEnough(cpuOverSince, nanos)) {
            reasons.add("cpu " + decimal(cpuPercent) + "% over the " + decimal(cpuPercentLimit) + "% limit for "
                + seconds(nanos - cpuOverSince));
        }
        if (lastedLongEnough(rssOverSince, nanos)) {
            reasons.add("rss " + ByteSizes.text(rssBytes) + " over the " + ByteSizes.text(rssBytesLimit)
                + " limit for " + seconds(nanos - rssOverSince));
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** Forgets both runs, for instance after the agent was restarted. */
    synchronized void reset() {
        cpuOverSince = null;
        rssOverSince = null;
    }

    private static Long runStart(Long overSince, long nanos) {
        return overSince == null ? nanos : overSince;
    }

    private boolean lastedLongEnough(Long overSince, long nanos) {
        return overSince != null && nanos - overSince >= duration.toNanos();
    }

    private static void validate(double cpuPercentLimit, Duration duration) {
        if (Double.isNaN(cpuPercentLimit)) {
            throw new IllegalArgumentException("the CPU limit must be a number");
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the threshold duration must not be negative, not " + duration);
        }
    }

    private static String seconds(long elapsedNanos) {
        return decimal(elapsedNanos / 1e9) + "s";
    }

    /** One decimal at most: 87.5, 50, 1.3. */
    private static String decimal(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
