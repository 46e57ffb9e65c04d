package io.opsd.store.internal;

import java.time.Duration;
import java.util.Map;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.store} configuration. */
record StoreSettings(Duration historyRetention, int historyMaxPoints, Duration flushInterval,
                     Duration historyFlushInterval) {

    static final StoreSettings DEFAULT = new StoreSettings(Duration.ofHours(24), 1440, Duration.ofSeconds(1),
        Duration.ofSeconds(60));

    static StoreSettings of(StoreConfig config, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        Duration retention = within(check, "history_retention", check.duration("history_retention",
            config.history__retention()), Duration.ofMinutes(1), Duration.ofDays(30));
        int points = check.integer("history_max_points", config::history__max__points);
        if (points < 10 || points > 100_000) {
            throw check.invalid("history_max_points", points, "is out of range; use 10 to 100000");
        }
        Duration flush = within(check, "flush_interval", check.duration("flush_interval", config.flush__interval()),
            Duration.ofMillis(10), Duration.ofHours(1));
        Duration historyFlush = within(check, "history_flush_interval", check.duration("history_flush_interval",
            config.history__flush__interval()), Duration.ofSeconds(1), Duration.ofHours(1));
        return new StoreSettings(retention, points, flush, historyFlush);
    }

    private static Duration within(ConfigCheck check, String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw check.invalid(key, value.toMillis() + "ms", "is out of range; use " + min.toMillis() + "ms to "
                + max.toMillis() + "ms");
        }
        return value;
    }
}
