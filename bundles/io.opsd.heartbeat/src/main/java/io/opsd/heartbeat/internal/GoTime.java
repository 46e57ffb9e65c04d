package io.opsd.heartbeat.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's RFC3339Nano: nanoseconds with trailing zeros trimmed, and Go's zero time before anything happened. */
final class GoTime {

    static final String ZERO = "0001-01-01T00:00:00Z";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
        .withZone(ZoneOffset.UTC);

    private GoTime() {
    }

    static String rfc3339Nano(Instant t) {
        if (t == null) {
            return ZERO;
        }
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos > 0) {
            String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
            b.append('.').append(fraction);
        }
        return b.append('Z').toString();
    }
}
