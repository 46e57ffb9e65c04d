package io.opsd.api.collector;

import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import io.opsd.api.config.ConfigCheck;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.config.TypedConfiguration;

/**
 * How a collector is run.
 *
 * @param enabled false stops collecting and removes the collector's series
 * @param interval time between the starts of two collections, at least 100 ms
 * @param timeout longest a collection may run before it is reported as timed out, at least 10 ms
 */
public record CollectorSchedule(boolean enabled, Duration interval, Duration timeout) {

    /** The configuration key (and service property) switching a collector on and off. */
    public static final String ENABLED = "enabled";
    /** The configuration key (and service property) of the time between two collections. */
    public static final String INTERVAL = "interval";
    /** The configuration key (and service property) of the longest a collection may run. */
    public static final String TIMEOUT = "timeout";
    /** The interval of a collector whose configuration has none, as a .cfg writes it. */
    public static final String DEFAULT_INTERVAL = "60s";
    /** The timeout of a collector whose configuration has none, as a .cfg writes it. */
    public static final String DEFAULT_TIMEOUT = "5s";
    /** What {@link #INTERVAL} means, for a collector's metatype. */
    public static final String INTERVAL_DESCRIPTION = "Time between two collections, such as 60s (at least 100ms).";
    /** What {@link #TIMEOUT} means, for a collector's metatype. */
    public static final String TIMEOUT_DESCRIPTION = "A collection running longer is reported as timed out, such as 5s"
        + " (at least 10ms).";

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
     * The schedule of a collector's configuration, read from the component or service properties {@link #ENABLED},
     * {@link #INTERVAL} and {@link #TIMEOUT} (DS publishes a component's configuration as its service properties);
     * an absent key has the value of {@link #DEFAULT}. This is what the engine runs a collector on unless its
     * {@link Collector#schedule()} says otherwise. Throws {@link InvalidConfigurationException} naming the PID, file
     * and key of a bad value: call it from the activate constructor, so that a collector with a bad schedule fails
     * to activate and says why.
     */
    public static CollectorSchedule of(Map<String, ?> props) {
        ConfigCheck check = ConfigCheck.of(props);
        Object enabled = single(props.get(ENABLED));
        boolean on = enabled == null || check.parse(ENABLED, enabled.toString().trim(), CollectorSchedule::bool);
        Object interval = single(props.get(INTERVAL));
        Object timeout = single(props.get(TIMEOUT));
        return new CollectorSchedule(on,
            check.duration(INTERVAL, interval == null ? DEFAULT_INTERVAL : interval.toString(), MIN_INTERVAL),
            check.duration(TIMEOUT, timeout == null ? DEFAULT_TIMEOUT : timeout.toString(), MIN_TIMEOUT));
    }

    /**
     * What {@link #of(Map)} would refuse in a collector's .cfg values: a
     * {@link io.opsd.api.config.ConfigurationValidator}'s answer for the schedule keys, since the engine keeps a
     * collector's previous schedule on a bad value, which ServiceComponentRuntime cannot show as a refusal.
     */
    public static List<String> problems(Map<String, String> properties) {
        try {
            of(properties);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * {@link #problems(Map)}, then the refusal of the collector's own settings: {@code ownSettings} builds them from
     * the configuration as DS would type it ({@link TypedConfiguration}) and the properties, and throws
     * {@link InvalidConfigurationException} naming the key of a bad value.
     */
    public static <C> List<String> problems(Map<String, String> properties, Class<C> configType,
                                            BiConsumer<C, Map<String, Object>> ownSettings) {
        List<String> problems = new ArrayList<>(problems(properties));
        try {
            ownSettings.accept(TypedConfiguration.of(configType, properties), new HashMap<>(properties));
        } catch (InvalidConfigurationException e) {
            problems.add(e.getMessage());
        }
        return List.copyOf(problems);
    }

    /**
     * What {@link #of(Map, boolean, String, String)} would refuse in a collector's .cfg values ({@code enabled},
     * {@code interval}, {@code timeout}, absent ones at the given defaults), for a collector that decides its own
     * schedule.
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
     * The schedule of a collector's configuration keys {@code enabled}, {@code interval} and {@code timeout} as its
     * typed configuration gives them, for a collector that decides its own schedule; throws
     * {@link io.opsd.api.config.InvalidConfigurationException} naming the PID, file and key of a bad value.
     */
    public static CollectorSchedule of(Map<String, ?> props, boolean enabled, String interval, String timeout) {
        ConfigCheck check = ConfigCheck.of(props);
        Duration i = check.duration("interval", interval, MIN_INTERVAL);
        Duration t = check.duration("timeout", timeout, MIN_TIMEOUT);
        return new CollectorSchedule(check.bool("enabled", () -> enabled), i, t);
    }

    /** The value of a property DS may hand over as a one-element array or collection (a .cfg line is one string). */
    private static Object single(Object value) {
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? null : c.iterator().next();
        }
        if (value != null && value.getClass().isArray()) {
            return Array.getLength(value) == 0 ? null : Array.get(value, 0);
        }
        return value;
    }

    // only true and false: a misspelling such as "ture" would otherwise silently stop the collector
    private static boolean bool(String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("is not true or false");
    }
}
