package io.opsd.shell.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** How the commands write times, durations and numbers. */
final class Formats {

    private Formats() {
    }

    /** ISO-8601 in UTC to the second ({@code 2024-05-01T10:00:00Z}), or {@code -}. */
    static String instant(Optional<Instant> time) {
        return time.map(t -> DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS))).orElse("-");
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m05s}, {@code 1h}, {@code 3d04h}; a negative duration counts as zero. */
    static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + "ms";
        }
        long s = ms / 1_000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return join(s / 60, "m", s % 60, "s");
        }
        if (s < 86_400) {
            return join(s / 3_600, "h", s % 3_600 / 60, "m");
        }
        return join(s / 86_400, "d", s % 86_400 / 3_600, "h");
    }

    private static String join(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + String.format("%02d", minor) + minorUnit;
    }

    /** The shortest exact decimal form, never in exponent notation: {@code 12.5}, {@code 0}, {@code 1048576}. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
