package io.opsd.agent.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides when an agent's CPU or RSS has been over its limit long enough to act on. Each metric has its own run: it
 * starts at the first observation over the limit and ends at the first one that is not (an unknown value, NaN CPU or
 * negative RSS, is not over). Once a run has lasted {@code duration}, every observation that continues it returns a
 * reason; call {@link #reset()} after acting on it. Thread-safe.
 */
final class ThresholdWatch {

    private static final List<String> BYTE_UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB");

    private double cpuPercentLimit;
    private long rssBytesLimit;
    private Duration duration;
    private Instant cpuOverSince;
    private Instant rssOverSince;

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
     */
    synchronized Optional<String> observe(Instant time, double cpuPercent, long rssBytes) {
        Objects.requireNonNull(time, "time");
        cpuOverSince = cpuPercentLimit > 0 && cpuPercent > cpuPercentLimit ? runStart(cpuOverSince, time) : null;
        rssOverSince = rssBytesLimit > 0 && rssBytes > rssBytesLimit ? runStart(rssOverSince, time) : null;
        List<String> reasons = new ArrayList<>(2);
        if (lastedLongEnough(cpuOverSince, time)) {
            reasons.add("cpu " + decimal(cpuPercent) + "% over the " + decimal(cpuPercentLimit) + "% limit for "
                + seconds(Duration.between(cpuOverSince, time)));
        }
        if (lastedLongEnough(rssOverSince, time)) {
            reasons.add("rss " + bytes(rssBytes) + " over the " + bytes(rssBytesLimit) + " limit for "
                + seconds(Duration.between(rssOverSince, time)));
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** Forgets both runs, for instance after the agent was restarted. */
    synchronized void reset() {
        cpuOverSince = null;
        rssOverSince = null;
    }

    private static Instant runStart(Instant overSince, Instant time) {
        // a clock stepped back starts the run again rather than stretching it
        return overSince == null || time.isBefore(overSince) ? time : overSince;
    }

    private boolean lastedLongEnough(Instant overSince, Instant time) {
        return overSince != null && Duration.between(overSince, time).compareTo(duration) >= 0;
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

    private static String seconds(Duration elapsed) {
        return decimal(elapsed.toMillis() / 1000.0) + "s";
    }

    private static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BYTE_UNITS.size() - 1) {
            value /= 1024;
            unit++;
        }
        return decimal(value) + " " + BYTE_UNITS.get(unit);
    }

    /** One decimal at most: 87.5, 50, 1.3. */
    private static String decimal(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
