package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code daemon} section's identity and housekeeping keys: id, labels, log level, and the paths opsd keeps in
 * its own layout (log file, PID file, work directory). The listeners are {@link GrpcMigration} and
 * {@link HeartbeatListeners}.
 */
final class DaemonMigration {

    /** The old daemon's default {@code daemon.work_dir}. */
    static final String OLD_WORK_DIR = "/var/lib/daemon";
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
    private static final Map<String, String> LOG_LEVELS = Map.of("debug", "DEBUG", "info", "INFO", "warn", "WARN",
        "warning", "WARN", "error", "ERROR", "dpanic", "ERROR", "panic", "ERROR", "fatal", "ERROR");

    private final Conversion c;

    DaemonMigration(Conversion c) {
        this.c = c;
    }

    /** Returns the old daemon's work directory ({@code daemon.work_dir}, else its default). */
    String convert(YamlMap d) {
        d.take("id").flatMap(c.values()::text).ifPresent(id -> {
            if (Migration.NODE_ID.matcher(id).matches()) {
                node().set("id", id);
            } else {
                c.warnings().warn(d.pathOf("id"), "= " + id + " is not a node id opsd accepts (1 to 128 letters,"
                    + " digits, '.', '_', ':' or '-'); not carried over, data/node_id keeps the node's id");
            }
        });
        List<String> labels = new ArrayList<>();
        for (String key : List.of("labels", "tags")) {
            d.take(key).ifPresent(e -> labels(e, labels));
        }
        if (!labels.isEmpty()) {
            node().set("labels", String.join(",", labels));
        }
        d.take("log_level").flatMap(c.values()::text).ifPresent(level -> {
            String l = LOG_LEVELS.get(level.toLowerCase(Locale.ROOT));
            if (l == null) {
                c.warnings().warn(d.pathOf("log_level"), "= " + level + " is not a level (debug, info, warn, error);"
                    + " not carried over");
                return;
            }
            CfgFile f = c.file("org.osgi.service.log.admin", "log levels");
            f.set("ROOT", l);
            f.set("Events", "WARN", "The OSGi log service records every bundle and service event at INFO; keep"
                + " only the problems.");
        });
        d.take("log_file").flatMap(c.values()::text).ifPresent(v -> c.warnings().warn(d.pathOf("log_file"), "is not"
            + " carried over: opsd writes its log to <opsd home>/logs/opsd.log (set -Dopsd.log.dir to move it)"));
        d.take("pid_file").flatMap(c.values()::text).ifPresent(v -> c.warnings().warn(d.pathOf("pid_file"), "is not"
            + " carried over: opsd's PID file is <opsd home>/data/opsd.pid (set -Dopsd.pid.file to move it)"));
        String workDir = d.take("work_dir").flatMap(c.values()::text).orElse(OLD_WORK_DIR);
        if (d.has("work_dir")) {
            c.warnings().warn(d.pathOf("work_dir"), "is not carried over: opsd keeps its state in <opsd home>/data"
                + " (-Dopsd.data.dir); to keep this node's identity and its agents' history, run import-config with"
                + " --from-node " + workDir + " (or copy " + workDir + "/node_id to <opsd home>/data/node_id)");
        }
        return workDir;
    }

    private CfgFile node() {
        return c.file("io.opsd.node", "who this node is to the Manager");
    }

    private void labels(YamlMap.Entry e, List<String> labels) {
        if (e.value() instanceof YamlMap m) {
            for (String k : m.keys()) {
                YamlMap.Entry v = m.claim(k).orElseThrow();
                label(v.path(), k, v.value() == null ? "" : String.valueOf(v.value()).trim(), labels);
            }
        } else if (e.value() instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String item = String.valueOf(list.get(i)).trim();
                int eq = item.indexOf('=');
                if (eq < 0) {
                    eq = item.indexOf(':');
                }
                if (eq < 0 || list.get(i) instanceof YamlMap) {
                    c.warnings().warn(e.path() + "[" + i + "]", "is not key=value; not carried over");
                } else {
                    label(e.path() + "[" + i + "]", item.substring(0, eq).trim(), item.substring(eq + 1).trim(),
                        labels);
                }
            }
        } else if (e.value() != null) {
            c.warnings().warn(e.path(), "is neither a mapping nor a list; not carried over");
        }
    }

    private void label(String path, String key, String value, List<String> labels) {
        if (!LABEL_KEY.matcher(key).matches() || value.indexOf(',') >= 0 || value.indexOf('=') >= 0) {
            c.warnings().warn(path, "cannot be an opsd label (keys: 1 to 63 letters, digits, '.', '_', '-', '/'; values"
                + " without ',' or '='); not carried over");
        } else {
            labels.add(key + "=" + value);
        }
    }
}
