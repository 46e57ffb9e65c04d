package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The old daemon's {@code daemon.yaml} as opsd's configuration: one {@link CfgFile} per PID (architecture.md §6,
 * "Migration"). Whatever is not carried over is named in a warning with its YAML path; where the old daemon did
 * not do what its file said (contracts.md §6 rows 9, 17), the file keeps the old behaviour and a warning says so.
 */
final class Migration {

    /** io.opsd.api.store.AgentIds.PATTERN: the launcher runs outside the framework and cannot load io.opsd.api. */
    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    /** io.opsd.node's node id rule. */
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
    private static final List<String> OLD_COLLECTORS = List.of("cpu", "memory", "disk", "network");
    private static final Map<String, String> LOG_LEVELS = Map.of("debug", "DEBUG", "info", "INFO", "warn", "WARN",
        "warning", "WARN", "error", "ERROR", "dpanic", "ERROR", "panic", "ERROR", "fatal", "ERROR");

    record Result(List<CfgFile> files, List<String> warnings, List<String> agents) {
    }

    private final String source;
    private final Warnings warnings = new Warnings();
    private final Values values = new Values(warnings);
    private final Map<String, CfgFile> files = new LinkedHashMap<>();
    private final List<String> agents = new ArrayList<>();

    private Migration(String source) {
        this.source = source;
    }

    static Result of(YamlMap root, String source) {
        Migration m = new Migration(source);
        m.run(root);
        return new Result(List.copyOf(m.files.values()), m.warnings.lines(), List.copyOf(m.agents));
    }

    private CfgFile file(String pid, String what) {
        return files.computeIfAbsent(pid + ".cfg", name -> new CfgFile(name,
            pid + ": " + what + ", written by `java -jar opsd.jar import-config` from " + source + ".",
            "Keys not set here keep their defaults (the shipped runtime-config/" + name + " lists them all)."));
    }

    private void run(YamlMap root) {
        Optional<YamlMap> daemon = root.map("daemon", warnings);
        Optional<YamlMap> manager = root.map("manager", warnings);
        Optional<String> managerAddress = manager.flatMap(this::manager);
        daemon.ifPresent(d -> daemon(d, managerAddress));
        collectors(root.map("collectors", warnings), root.pathOf("collectors"));
        agents(root);
        unsupported(root, "update", "is not carried over: opsd has no self-update (upgrade the package or opsd.jar;"
            + " see docs/install.md)");
        unsupported(root, "pprof", "is not carried over: opsd has no pprof endpoint (use jcmd or JDK Flight"
            + " Recorder)");
        unsupported(root, "max_procs", "is not carried over: it is a Go runtime setting (bound the JVM with"
            + " -XX:ActiveProcessorCount and -Xmx in the service unit)");
        reportUnused(root);
    }

    // --- daemon

    private void daemon(YamlMap d, Optional<String> managerAddress) {
        d.take("id").flatMap(values::text).ifPresent(id -> {
            if (NODE_ID.matcher(id).matches()) {
                file("io.opsd.node", "who this node is to the Manager").set("id", id);
            } else {
                warnings.warn(d.pathOf("id"), "= " + id + " is not a node id opsd accepts (1 to 128 letters, digits,"
                    + " '.', '_', ':' or '-'); not carried over, data/node_id keeps the node's id");
            }
        });
        List<String> labels = new ArrayList<>();
        for (String key : List.of("labels", "tags")) {
            d.take(key).ifPresent(e -> labels(e, labels));
        }
        if (!labels.isEmpty()) {
            file("io.opsd.node", "who this node is to the Manager").set("labels", String.join(",", labels));
        }
        d.take("log_level").flatMap(values::text).ifPresent(level -> {
            String l = LOG_LEVELS.get(level.toLowerCase(Locale.ROOT));
            if (l == null) {
                warnings.warn(d.pathOf("log_level"), "= " + level + " is not a level (debug, info, warn, error);"
                    + " not carried over");
                return;
            }
            CfgFile f = file("org.osgi.service.log.admin", "log levels");
            f.set("ROOT", l);
            f.set("Events", "WARN", "The OSGi log service records every bundle and service event at INFO; keep"
                + " only the problems.");
        });
        d.take("log_file").flatMap(values::text).ifPresent(v -> warnings.warn(d.pathOf("log_file"), "is not carried"
            + " over: opsd writes its log to <opsd home>/logs/opsd.log (set -Dopsd.log.dir to move it)"));
        d.take("pid_file").flatMap(values::text).ifPresent(v -> warnings.warn(d.pathOf("pid_file"), "is not carried"
            + " over: opsd's PID file is <opsd home>/data/opsd.pid (set -Dopsd.pid.file to move it)"));
        d.take("work_dir").flatMap(values::text).ifPresent(v -> warnings.warn(d.pathOf("work_dir"), "is not carried"
            + " over: opsd keeps its state in <opsd home>/data (-Dopsd.data.dir); to keep this node's identity, copy "
            + v + "/node_id to <opsd home>/data/node_id before the first start"));
        d.take("grpc_port").ifPresent(e -> values.integer(e, 1, 65535).ifPresent(port -> {
            file("io.opsd.grpc.server", "the gRPC DaemonService the Manager calls").set("port", port);
            if (managerAddress.isPresent()) {
                warnings.warn(e.path(), "is carried over, but opsd listens on 127.0.0.1 only: for the Manager at "
                    + managerAddress.get() + " to call this node back, set bind and tls.* or token in"
                    + " io.opsd.grpc.server.cfg (the old daemon listened on every interface without authentication)");
            }
        }));
        d.take("http_port").ifPresent(e -> {
            if (e.value() != null && "0".equals(String.valueOf(e.value()).trim())) {
                return; // the old daemon's "off"; opsd always serves /health and /ready, on its default port
            }
            values.integer(e, 1, 65535).ifPresent(port -> {
                CfgFile f = file("org.apache.felix.http", "the node's HTTP server (heartbeats, /metrics, /health,"
                    + " /ready)");
                f.set("org.apache.felix.http.host", "127.0.0.1", "Loopback, as in the shipped file: the old daemon"
                    + " listened on every interface; set the host to\nan address of this machine if agents on other"
                    + " hosts send heartbeats.");
                f.set("org.osgi.service.http.port", port);
                f.set("org.apache.felix.https.enable", "false");
            });
        });
        d.take("socket_path").flatMap(values::text).ifPresent(path -> {
            if (!path.startsWith("/")) {
                warnings.warn(d.pathOf("socket_path"), "= " + path + " is not an absolute path; not carried over");
                return;
            }
            CfgFile f = file("io.opsd.heartbeat.socket", "the old daemon's heartbeat socket");
            f.set("enabled", "true");
            f.set("path", path, "opsd never replaces a file of another kind at this path (the old daemon deleted"
                + " whatever was there).");
        });
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
                    warnings.warn(e.path() + "[" + i + "]", "is not key=value; not carried over");
                } else {
                    label(e.path() + "[" + i + "]", item.substring(0, eq).trim(), item.substring(eq + 1).trim(), labels);
                }
            }
        } else if (e.value() != null) {
            warnings.warn(e.path(), "is neither a mapping nor a list; not carried over");
        }
    }

    private void label(String path, String key, String value, List<String> labels) {
        if (!LABEL_KEY.matcher(key).matches() || value.indexOf(',') >= 0 || value.indexOf('=') >= 0) {
            warnings.warn(path, "cannot be an opsd label (keys: 1 to 63 letters, digits, '.', '_', '-', '/'; values"
                + " without ',' or '='); not carried over");
        } else {
            labels.add(key + "=" + value);
        }
    }

    // --- manager

    private Optional<String> manager(YamlMap m) {
        CfgFile f = file("io.opsd.manager", "the link to the central Manager");
        boolean enabled = m.take("enabled").flatMap(values::bool).map(Boolean::parseBoolean).orElse(true);
        Optional<String> address = m.take("address").flatMap(values::text);
        if (enabled) {
            address.ifPresent(a -> f.set("address", a));
        }
        Optional<String> heartbeat = m.take("heartbeat_interval").flatMap(e -> values.duration(e, 1_000));
        heartbeat.ifPresent(v -> f.set("heartbeat_interval", v));
        Optional<String> report = Optional.empty();
        for (String key : List.of("report_interval", "metrics_interval")) {
            Optional<String> r = m.take(key).flatMap(e -> values.duration(e, 1_000));
            if (r.isPresent()) {
                report = r;
            }
        }
        if (report.isPresent()) {
            f.set("report_interval", report.get());
        } else {
            heartbeat.ifPresent(v -> f.set("report_interval", v, "The old daemon reported metrics at its"
                + " heartbeat_interval."));
        }
        m.take("sync_interval").flatMap(e -> values.duration(e, 1_000)).ifPresent(v -> f.set("sync_interval", v));
        m.take("timeout").flatMap(e -> values.duration(e, 100)).ifPresent(v -> f.set("timeout", v));
        m.take("token").flatMap(values::text).ifPresent(v -> f.set("token", v));
        m.take("reconnect_interval").flatMap(values::text).ifPresent(v -> warnings.warn(m.pathOf("reconnect_interval"),
            "is not carried over: the old daemon never used it; opsd waits 1s, then doubles up to reconnect_max"
            + " (default 60s)"));
        m.map("tls", warnings).ifPresent(tls -> managerTls(tls, f));
        return enabled ? address : Optional.empty();
    }

    private void managerTls(YamlMap tls, CfgFile f) {
        boolean enabled = tls.take("enabled").flatMap(values::bool).map(Boolean::parseBoolean).orElse(true);
        Optional<String> ca = tls.take("ca_file").flatMap(values::text);
        Optional<String> cert = tls.take("cert_file").flatMap(values::text);
        Optional<String> key = tls.take("key_file").flatMap(values::text);
        tls.take("insecure_skip_verify").flatMap(values::bool).filter(Boolean::parseBoolean).ifPresent(v ->
            warnings.warn(tls.pathOf("insecure_skip_verify"), "is not carried over: opsd always verifies the"
                + " Manager's certificate against tls.ca_file"));
        if (!enabled || (ca.isEmpty() && cert.isEmpty() && key.isEmpty())) {
            return;
        }
        boolean all = ca.isPresent() && cert.isPresent() && key.isPresent();
        if (ca.isEmpty()) {
            warnings.warn(tls.path(), "has no ca_file: the old daemon then connected in plaintext, and opsd needs"
                + " tls.ca_file for TLS; cert_file and key_file are not carried over (the link stays plaintext)");
            return;
        }
        f.set("tls.ca_file", ca.get());
        if (cert.isPresent() != key.isPresent()) {
            warnings.warn(tls.path(), "has only one of cert_file and key_file; neither is carried over (opsd"
                + " connects with TLS, without a client certificate)");
        } else if (cert.isPresent()) {
            f.set("tls.cert_file", cert.get());
            f.set("tls.key_file", key.get());
        }
        if (!all) {
            warnings.warn(tls.path(), "does not set all three files: the old daemon then connected in plaintext;"
                + " opsd connects with TLS (check the Manager serves TLS)");
        }
    }

    // --- collectors

    private void collectors(Optional<YamlMap> section, String path) {
        for (String name : OLD_COLLECTORS) {
            Optional<YamlMap> c = section.flatMap(s -> s.map(name, warnings));
            CfgFile f = file("io.opsd.collector." + name, "the " + name + " collector");
            boolean enabled = c.flatMap(m -> m.take("enabled")).flatMap(values::bool).map(Boolean::parseBoolean)
                .orElse(false);
            f.set("enabled", Boolean.toString(enabled));
            if (!enabled && c.map(m -> !m.has("enabled")).orElse(true)) {
                warnings.warn(path + "." + name + ".enabled", "is not set: the old daemon did not run this collector,"
                    + " so it is written as enabled = false (opsd's default is true)");
            }
            c.ifPresent(m -> collector(name, m, f));
        }
        section.ifPresent(s -> {
            s.map("load", warnings).ifPresent(m -> {
                CfgFile f = file("io.opsd.collector.load", "the load collector");
                m.take("enabled").flatMap(values::bool).ifPresent(v -> f.set("enabled", v));
                collector("load", m, f);
            });
            for (String other : s.keys()) {
                if (!OLD_COLLECTORS.contains(other) && !other.equals("load")) {
                    s.claim(other);
                    warnings.warn(s.pathOf(other), "is not carried over: opsd has no " + other + " collector (a"
                        + " collector bundle can be hot-deployed, see docs/collectors.md)");
                }
            }
        });
    }

    private void collector(String name, YamlMap m, CfgFile f) {
        m.take("interval").flatMap(e -> values.duration(e, 100)).ifPresent(v -> f.set("interval", v));
        m.take("timeout").flatMap(e -> values.duration(e, 10)).ifPresent(v -> f.set("timeout", v));
        if (name.equals("disk")) {
            m.take("mount_points").flatMap(values::commaList).ifPresent(v -> f.set("mount_points", v));
            m.take("exclude_fs_types").flatMap(values::commaList).ifPresent(v -> f.set("exclude_fs_types", v));
        }
        if (name.equals("network")) {
            m.take("interfaces").flatMap(values::commaList).ifPresent(v -> f.set("interfaces", v));
            m.take("exclude_interfaces").flatMap(values::commaList).ifPresent(v -> f.set("exclude_interfaces", v));
        }
    }

    // --- agents

    private void agents(YamlMap root) {
        Optional<YamlMap> defaults = root.claim("agent_defaults").flatMap(e -> {
            if (e.value() == null) {
                return Optional.empty();
            }
            if (e.value() instanceof YamlMap m) {
                return Optional.of(m);
            }
            warnings.warn(e.path(), "is not a mapping; not carried over");
            return Optional.empty();
        });
        Optional<YamlMap.Entry> list = root.claim("agents");
        if (list.isEmpty() || list.get().value() == null) {
            return;
        }
        if (!(list.get().value() instanceof List<?> entries)) {
            warnings.warn(list.get().path(), "is not a list; no agent is carried over");
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = list.get().path() + "[" + i + "]";
            if (!(entries.get(i) instanceof YamlMap entry)) {
                warnings.warn(path, "is not a mapping; skipped");
                continue;
            }
            YamlMap agent = YamlMap.merge(defaults.orElse(null), entry);
            Optional<String> id = agent.take("id").flatMap(values::text);
            if (id.isEmpty()) {
                warnings.warn(path, "has no id; agent skipped");
                continue;
            }
            if (!AGENT_ID.matcher(id.get()).matches()) {
                warnings.warn(path + ".id", "= " + id.get() + " is not an agent id opsd accepts (1 to 100 ASCII"
                    + " letters, digits, '_', '.' or '-', starting with a letter or digit); agent skipped");
                continue;
            }
            if (!seen.add(id.get())) {
                warnings.warn(path + ".id", "= " + id.get() + " is the id of an earlier agent; agent skipped");
                continue;
            }
            if (agent(agent, id.get(), path)) {
                agents.add(id.get());
                reportUnused(agent);
            }
        }
    }

    /** Writes io.opsd.agent-<id>.cfg; false when the agent cannot run under opsd at all (it is then skipped). */
    private boolean agent(YamlMap a, String id, String path) {
        Optional<String> binary = a.take("binary_path").flatMap(values::text);
        if (binary.isEmpty()) {
            warnings.warn(path, "has no binary_path; agent " + id + " skipped");
            return false;
        }
        CfgFile f = new CfgFile("io.opsd.agent-" + id + ".cfg",
            "io.opsd.agent-" + id + ": agent " + id + ", written by `java -jar opsd.jar import-config` from " + source
                + " (" + path + ").",
            "Keys not set here keep their defaults (docs/agents.md lists them all).");
        files.put(f.name(), f);
        f.set("id", id);
        a.take("type").flatMap(values::text).ifPresent(v -> f.set("type", v));
        a.take("name").flatMap(values::text).ifPresent(v -> f.set("name", v));
        a.take("version").flatMap(values::text).ifPresent(v -> f.set("version", v));
        f.set("binary_path", binary.get());
        if (!binary.get().startsWith("/")) {
            warnings.warn(a.pathOf("binary_path"), "= " + binary.get() + " is not an absolute path: opsd refuses"
                + " agent " + id + " until it is one");
        }
        a.take("args").ifPresent(e -> values.args(e).ifPresent(v -> {
            f.set("args", v);
            warnings.warn(e.path(), "is carried over as args = " + v + ": the old daemon ignored args, opsd passes"
                + " them to the agent");
        }));
        a.take("config_file").flatMap(values::text).ifPresent(v -> f.set("config_file", v));
        a.take("work_dir").flatMap(values::text).ifPresent(v -> f.set("work_dir", v));
        a.take("env").flatMap(values::keyValues).ifPresent(v -> f.set("env", v));
        Optional<String> enabled = a.take("enabled").flatMap(values::bool);
        if (enabled.isPresent()) {
            f.set("enabled", enabled.get());
        } else {
            f.set("enabled", "false", "The old daemon started only agents with enabled: true.");
            warnings.warn(a.pathOf("enabled"), "is not set: the old daemon did not start agent " + id + ", so it is"
                + " written as enabled = false (set it to true to start the agent)");
        }
        a.take("socket_path").flatMap(values::text).ifPresent(v -> warnings.warn(a.pathOf("socket_path"), "is not"
            + " carried over: the old daemon ignored it; agents send heartbeats with POST /heartbeat, or to the"
            + " node's socket (io.opsd.heartbeat.socket.cfg)"));
        a.take("keep_running_on_exit").flatMap(values::bool).ifPresent(v -> f.set("keep_running_on_exit", v));
        health(a, id, f);
        restart(a, f);
        log(a, f);
        return true;
    }

    private void health(YamlMap a, String id, CfgFile f) {
        Optional<YamlMap> h = a.map("health_check", warnings);
        h.flatMap(m -> m.take("interval")).flatMap(e -> values.duration(e, 1_000))
            .ifPresent(v -> f.set("health.interval", v));
        Optional<YamlMap.Entry> hb = h.flatMap(m -> m.take("heartbeat_timeout"));
        Optional<Long> timeout = hb.flatMap(values::nanos);
        String disabled = "The old daemon never fired the heartbeat timeout (contracts.md §6 row 9).";
        if (hb.isEmpty() || hb.get().value() == null) {
            f.set("health.heartbeat_timeout", "disabled", disabled);
            warnings.warn(a.pathOf("health_check.heartbeat_timeout"), "is not set: written as disabled for agent " + id
                + ", as the old daemon never fired the check (opsd's default of 90s restarts an agent that sends no"
                + " heartbeat)");
        } else if (timeout.isEmpty() || timeout.get() == 0) {
            f.set("health.heartbeat_timeout", "disabled", disabled);
            warnings.warn(hb.get().path(), "= " + values.text(hb.get()).orElse("") + " becomes disabled: the old"
                + " daemon never fired the heartbeat timeout, and opsd turns it off with 'disabled'");
        } else if (timeout.get() < 1_000_000_000L) {
            f.set("health.heartbeat_timeout", "disabled", disabled);
            warnings.warn(hb.get().path(), "is shorter than opsd allows (1s); written as disabled, as the old"
                + " daemon never fired it");
        } else {
            String v = Values.format(timeout.get());
            f.set("health.heartbeat_timeout", v, "Enforced by opsd: the old daemon never fired it.");
            warnings.warn(hb.get().path(), "= " + v + " is now enforced: the old daemon never fired it; opsd"
                + " restarts agent " + id + " when no heartbeat arrives for " + v + " (write disabled if it sends"
                + " none)");
        }
        h.flatMap(m -> m.take("http_endpoint")).ifPresent(e -> values.text(e).ifPresent(url -> {
            if (url.startsWith("http://") || url.startsWith("https://")) {
                f.set("health.http_url", url);
                warnings.warn(e.path(), "is carried over as health.http_url: the old daemon never probed it; opsd"
                    + " restarts agent " + id + " when it does not answer 2xx");
            } else {
                warnings.warn(e.path(), "= " + url + " is not an http(s) URL; not carried over (the old daemon never"
                    + " probed it)");
            }
        }));
        h.flatMap(m -> m.take("tcp_address")).flatMap(values::text).ifPresent(v -> f.set("health.tcp_address", v));
        h.flatMap(m -> m.take("cpu_threshold")).flatMap(values::number)
            .ifPresent(v -> f.set("health.cpu_threshold", v));
        h.flatMap(m -> m.take("memory_threshold")).flatMap(values::sizeInMegabytes)
            .ifPresent(v -> f.set("health.memory_threshold", v));
        h.flatMap(m -> m.take("threshold_duration")).flatMap(e -> values.duration(e, 0))
            .ifPresent(v -> f.set("health.threshold_duration", v));
    }

    private void restart(YamlMap a, CfgFile f) {
        Optional<YamlMap> r = a.map("restart", warnings);
        r.flatMap(m -> m.take("policy")).ifPresent(e -> values.text(e).ifPresent(p -> {
            String policy = p.toLowerCase(Locale.ROOT).replace('_', '-');
            if (List.of("always", "on-failure", "never").contains(policy)) {
                f.set("restart.policy", policy);
            } else {
                warnings.warn(e.path(), "= " + p + " is not always, on-failure or never; not carried over");
            }
        }));
        r.flatMap(m -> m.take("max_retries")).flatMap(e -> values.integer(e, 0, Integer.MAX_VALUE))
            .ifPresent(v -> f.set("restart.max_retries", v));
        r.flatMap(m -> m.take("backoff_base")).flatMap(e -> values.duration(e, 0))
            .ifPresent(v -> f.set("restart.backoff_base", v));
        r.flatMap(m -> m.take("backoff_max")).flatMap(e -> values.duration(e, 0))
            .ifPresent(v -> f.set("restart.backoff_max", v));
        r.flatMap(m -> m.take("reset_after")).flatMap(e -> values.duration(e, 0))
            .ifPresent(v -> f.set("restart.reset_after", v));
    }

    private void log(YamlMap a, CfgFile f) {
        Optional<YamlMap> l = a.map("log", warnings);
        l.flatMap(m -> m.take("max_size")).flatMap(values::sizeInMegabytes).ifPresent(v -> f.set("log.max_size", v));
        l.flatMap(m -> m.take("max_files")).flatMap(e -> values.integer(e, 1, 1000))
            .ifPresent(v -> f.set("log.max_files", v));
        l.flatMap(m -> m.take("compress")).flatMap(values::bool).ifPresent(v -> f.set("log.compress", v));
    }

    // --- what is left

    private void unsupported(YamlMap root, String key, String why) {
        root.claim(key).ifPresent(e -> {
            if (e.value() instanceof YamlMap m && !m.keys().isEmpty()) {
                m.leaves().forEach(leaf -> warnings.warn(leaf.path(), why));
            } else {
                warnings.warn(e.path(), why);
            }
        });
    }

    private void reportUnused(YamlMap map) {
        for (YamlMap.Entry e : map.unused()) {
            warnings.warn(e.path(), "is not known to import-config; not carried over");
        }
    }
}
