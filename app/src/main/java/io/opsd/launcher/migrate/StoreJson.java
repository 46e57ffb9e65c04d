package io.opsd.launcher.migrate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An imported agent in opsd's store format (architecture.md §9; io.opsd.store's AgentJson): the state file
 * {@code agents/<id>.json} and the history file {@code agents/history/<id>.json}. The launcher cannot load the
 * store bundle's classes, so the few fields are written here. The process is never recorded: opsd adopts only a
 * process whose pid and start time it stored itself.
 */
final class StoreJson {

    private StoreJson() {
    }

    static String state(String id, String type, OldAgentMetadata old, Instant now) {
        StringBuilder b = new StringBuilder("{");
        field(b, "id", id).append(',');
        field(b, "type", type).append(',');
        field(b, "version", "").append(',');
        field(b, "status", "stopped").append(',');
        field(b, "desired_state", "running").append(',');
        b.append("\"pid\":0,\"process_start_time\":0,");
        time(b, "start_time", old.startTime());
        b.append("\"restart_count\":").append(old.restartCount()).append(',');
        time(b, "last_heartbeat", old.lastHeartbeat());
        field(b, "health", "unknown").append(',');
        field(b, "health_reason", "").append(',');
        b.append("\"revision\":1,");
        field(b, "updated", now.toString());
        return b.append('}').toString();
    }

    /** Samples as {@code [time ms, cpu %, rss, vms, read, write, open files, threads]}; the old daemon kept two. */
    static String history(String id, List<OldAgentMetadata.Point> points) {
        StringBuilder b = new StringBuilder("{");
        field(b, "id", id).append(",\"samples\":[");
        for (int i = 0; i < points.size(); i++) {
            OldAgentMetadata.Point p = points.get(i);
            b.append(i == 0 ? "" : ",").append('[').append(p.time().toEpochMilli()).append(',').append(p.cpu())
                .append(',').append(p.rss()).append(",0,0,0,0,0]");
        }
        return b.append("]}").toString();
    }

    private static void time(StringBuilder b, String name, Optional<Instant> t) {
        t.ifPresent(v -> field(b, name, v.toString()).append(','));
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }
}
