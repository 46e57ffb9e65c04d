package io.opsd.api.collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.opsd.api.config.ConfigCheck;
import io.opsd.api.config.InvalidConfigurationException;

/**
 * How a collector is run.
 *
 * @param enabled false stops collecting and removes the collector's series
 * @param interval time between the starts of two collections, at least 100 ms
 * @param timeout longest a collection may run before it is reported as timed out, at least 10 ms
 */
public record CollectorSchedule(boolean enabled, Duration interval, Duration timeout) {

    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    public static final CollectorSchedule DEFAULT =
        new CollectorSchedule(true, Duration.ofSeconds(60), Duration.ofSeconds(5));

    public CollectorSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("interval " + interval + " is shorter than " + MIN_INTERVAL);
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is shorter than " + MIN_TIMEOUT);
        }
    }

    /**
     * What {@link #of} would refuse in a collector's .cfg values ({@code enabled}, {@code interval}, {@code timeout},
     * absent ones at the given defaults): a {@link io.opsd.api.config.ConfigurationValidator}'s answer for a collector
     * whose {@code @Modified} keeps its previous schedule on a bad value.
     */
    public static List<String> problems(Map<String, String> properties, String defaultInterval,
                                        String defaultTimeout) {
        try {
            of(properties, Boolean.parseBoolean(properties.getOrDefault("enabled", "true").trim()),
                properties.getOrDefault("interval", defaultInterval), properties.getOrDefault("timeout", defaultTimeout));
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * The schedule of a collector's configuration keys {@code enabled}, {@code interval} and {@code timeout};
     * throws {@link io.opsd.api.config.InvalidConfigurationException} naming the PID, file and key of a bad value.
     */
    public static CollectorSchedule of(Map<String, ?> props, boolean enabled, String interval, String timeout) {
        ConfigCheck check = ConfigCheck.of(props);
        Duration i = check.duration("interval", interval, MIN_INTERVAL);
        Duration t = check.duration("timeout", timeout, MIN_TIMEOUT);
        return new CollectorSchedule(check.bool("enabled", () -> enabled), i, t);
    }
}
