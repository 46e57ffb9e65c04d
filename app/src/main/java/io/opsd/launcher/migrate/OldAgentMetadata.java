package io.opsd.launcher.migrate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the old daemon kept of one agent in {@code <work_dir>/metadata/<id>.json} (contracts.md §5), as far as
 * opsd keeps it: {@code restart_count}, the last start ({@code start_time}, else {@code last_restart}),
 * {@code last_heartbeat}, {@code status}, {@code pid}, and {@code resource_history}, a list of
 * {@code {"timestamp", "cpu", "memory"}} points (memory in RSS bytes; {@code memory_rss} is read too). Times are
 * RFC 3339 strings (Go's {@code time.Time}; its zero time means none) or Unix seconds. Other fields are ignored.
 */
record OldAgentMetadata(String type, String status, long pid, int restartCount, Optional<Instant> startTime,
                        Optional<Instant> lastHeartbeat, List<Point> history, int pointsSkipped) {

    record Point(Instant time, double cpu, long rss) {
    }

    /** The Go zero time, which the old daemon wrote for "never". */
    private static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

    /** Reads the parsed JSON object; throws IllegalArgumentException naming the field that cannot be read. */
    static OldAgentMetadata of(Map<?, ?> json) {
        List<Point> points = new ArrayList<>();
        int skipped = 0;
        Object history = json.containsKey("resource_history") ? json.get("resource_history") : json.get("history");
        if (history instanceof List<?> list) {
            for (Object o : list) {
                Optional<Point> p = o instanceof Map<?, ?> m ? point(m) : Optional.empty();
                if (p.isPresent()) {
                    points.add(p.get());
                } else {
                    skipped++;
                }
            }
        } else if (history != null) {
            throw new IllegalArgumentException("resource_history is not a list");
        }
        points.sort(Comparator.comparing(Point::time));
        Optional<Instant> start = time(json.get("start_time"), "start_time")
            .or(() -> time(json.get("last_restart"), "last_restart"));
        return new OldAgentMetadata(text(json.get("type")), text(json.get("status")),
            whole(json.get("pid"), "pid"), (int) Math.min(Integer.MAX_VALUE, whole(json.get("restart_count"),
                "restart_count")), start, time(json.get("last_heartbeat"), "last_heartbeat"), List.copyOf(points),
            skipped);
    }

    private static Optional<Point> point(Map<?, ?> m) {
        try {
            Optional<Instant> t = time(m.get("timestamp"), "timestamp");
            Object memory = m.containsKey("memory") ? m.get("memory") : m.get("memory_rss");
            double cpu = m.get("cpu") instanceof Number n ? n.doubleValue() : 0;
            if (t.isEmpty() || !Double.isFinite(cpu) || cpu < 0) {
                return Optional.empty();
            }
            return Optional.of(new Point(t.get(), cpu, whole(memory, "memory")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static long whole(Object o, String field) {
        if (o == null) {
            return 0;
        }
        if (o instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException(field + " = " + o + " is not a whole number of at least 0");
    }

    private static Optional<Instant> time(Object o, String field) {
        if (o == null || "".equals(o)) {
            return Optional.empty();
        }
        Instant t;
        if (o instanceof Number n) {
            t = Instant.ofEpochSecond(n.longValue());
        } else {
            try {
                t = OffsetDateTime.parse(String.valueOf(o)).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " = " + o + " is not an RFC 3339 time");
            }
        }
        return t.equals(GO_ZERO) || t.getEpochSecond() <= 0 ? Optional.empty() : Optional.of(t);
    }
}
