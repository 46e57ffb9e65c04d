package io.opsd.heartbeat.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Go's RFC3339Nano: nanoseconds with trailing zeros trimmed, and Go's zero time before anything happened. Written
 * digit by digit: it runs for every heartbeat answer, where a format string and a regular expression cost more than
 * the rest of the answer.
 */
final class GoTime {

    static final String ZERO = "0001-01-01T00:00:00Z";

    private GoTime() {
    }

    static String rfc3339Nano(Instant t) {
        if (t == null) {
            return ZERO;
        }
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(30);
        digits(b, d.getYear(), 4).append('-');
        digits(b, d.getMonthValue(), 2).append('-');
        digits(b, d.getDayOfMonth(), 2).append('T');
        digits(b, d.getHour(), 2).append(':');
        digits(b, d.getMinute(), 2).append(':');
        digits(b, d.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos > 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            digits(b.append('.'), nanos, width);
        }
        return b.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
