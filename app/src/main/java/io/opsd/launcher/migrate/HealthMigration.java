package io.opsd.launcher.migrate;

import java.util.Optional;

/**
 * An agent's {@code health_check} section. The old daemon never acted on its heartbeat timeout, its HTTP endpoint
 * (a stub), or its CPU and memory thresholds (contracts.md §6 rows 9 and 10), so each is written off, with the
 * line that turns opsd's check on with the old value.
 */
final class HealthMigration {

    /** Below this, an old memory threshold (bytes) would restart the agent as soon as it is enabled. */
    private static final long ONE_MIB = 1L << 20;
    private static final String REPLACE = "\nTo turn opsd's check on with the old daemon's value, replace the next"
        + " line with:\n";
    private static final String REPLACE_DEFAULT = "\nTo turn opsd's check on (the old file has no value to keep), replace"
        + " the next line with:\n";

    private final Conversion c;

    HealthMigration(Conversion c) {
        this.c = c;
    }

    void convert(YamlMap agent, String id, CfgFile f) {
        Optional<YamlMap> h = agent.map("health_check", c.warnings());
        h.flatMap(m -> m.take("interval")).flatMap(e -> c.values().duration(e, 1_000))
            .ifPresent(v -> f.set("health.interval", v));
        heartbeatTimeout(h, agent.pathOf("health_check.heartbeat_timeout"), f);
        httpProbe(h.flatMap(m -> m.take("http_endpoint")), id, f);
        h.flatMap(m -> m.take("tcp_address")).flatMap(c.values()::text).ifPresent(v -> f.set("health.tcp_address", v));
        Optional<YamlMap.Entry> cpu = h.flatMap(m -> m.take("cpu_threshold"));
        threshold(f, "health.cpu_threshold", cpu, cpu.flatMap(c.values()::number), "50",
            "The old daemon never acted on cpu_threshold (percent). opsd restarts the agent when its process\ntree"
                + " uses more than this percent of one core for health.threshold_duration.");
        Optional<YamlMap.Entry> memory = h.flatMap(m -> m.take("memory_threshold"));
        Optional<Long> bytes = memory.flatMap(c.values()::bytes);
        threshold(f, "health.memory_threshold", memory, bytes.map(Values::exactSize), "500MiB",
            "The old daemon never acted on memory_threshold (bytes of RSS). opsd restarts the agent when its\nprocess"
                + " tree's RSS stays above this for health.threshold_duration.");
        bytes.filter(b -> b > 0 && b < ONE_MIB).ifPresent(b -> c.warnings().warn(memory.get().path(), "= " + b
            + " is " + b + " bytes (the old daemon compared it with RSS in bytes): enabling it as written restarts"
            + " the agent at once"));
        h.flatMap(m -> m.take("threshold_duration")).flatMap(e -> c.values().duration(e, 0))
            .ifPresent(v -> f.set("health.threshold_duration", v));
        f.keptAsOld("no health check acts on the agent: heartbeat timeout, CPU and memory thresholds and the HTTP"
            + " probe are off");
    }

    private void heartbeatTimeout(Optional<YamlMap> h, String path, CfgFile f) {
        Optional<YamlMap.Entry> hb = h.flatMap(m -> m.take("heartbeat_timeout"));
        Optional<Long> nanos = hb.flatMap(c.values()::nanos);
        Optional<String> old = nanos.filter(n -> n >= 1_000_000_000L).map(Values::format);
        f.set("health.heartbeat_timeout", "disabled", "The old daemon never fired the heartbeat timeout, whatever its"
            + " value (contracts.md §6 row 9).\nopsd restarts the agent when no heartbeat arrives for this long."
            + (old.isPresent() ? REPLACE : REPLACE_DEFAULT)
            + CfgFile.line("health.heartbeat_timeout", old.orElse("90s")));
        if (hb.isEmpty() || hb.get().value() == null) {
            c.warnings().warn(path, "is not set: written as disabled, as the old daemon never fired the check (opsd's"
                + " default of 90s restarts an agent that sends no heartbeat)");
        } else if (old.isEmpty()) {
            c.warnings().warn(hb.get().path(), "= " + c.values().text(hb.get()).orElse("") + " becomes disabled: the"
                + " old daemon never fired the heartbeat timeout, and opsd turns it off with 'disabled'");
        } else {
            c.warnings().warn(hb.get().path(), "= " + old.get() + " is written as disabled: the old daemon never fired"
                + " it; the file shows the line that turns opsd's check on");
        }
    }

    /**
     * The old daemon probed nothing over HTTP (http_endpoint was a stub), and a type's default probe (node_exporter's
     * metrics page) would restart an agent it never restarted: written disabled, with the line that turns it on.
     */
    private void httpProbe(Optional<YamlMap.Entry> endpoint, String id, CfgFile f) {
        Optional<String> url = endpoint.flatMap(c.values()::text);
        Optional<String> probe = url.filter(u -> u.startsWith("http://") || u.startsWith("https://"));
        f.set("health.http_url", "disabled", "The old daemon never probed over HTTP (http_endpoint was a stub), so"
            + " no HTTP probe runs,\nnot even the agent type's default one. opsd restarts the agent when the URL does"
            + " not answer 2xx;\nto turn that on, replace the line below with"
            + (probe.isPresent() ? ":\n" + CfgFile.line("health.http_url", probe.get())
                : " a health.http_url, or remove it for the type's default probe."));
        if (probe.isPresent()) {
            c.warnings().warn(endpoint.get().path(), "is written as health.http_url = disabled: the old daemon never"
                + " probed it; the file shows the line that has opsd probe agent " + id);
        } else if (url.isPresent()) {
            c.warnings().warn(endpoint.get().path(), "= " + url.get() + " is not an http(s) URL; not carried over"
                + " (the old daemon never probed it)");
        }
    }

    private void threshold(CfgFile f, String key, Optional<YamlMap.Entry> entry, Optional<String> old,
                           String opsdDefault, String why) {
        f.set(key, "disabled", why + (old.isPresent() ? REPLACE : REPLACE_DEFAULT)
            + CfgFile.line(key, old.orElse(opsdDefault)));
        if (old.isPresent()) {
            c.warnings().warn(entry.get().path(), "= " + c.values().text(entry.get()).orElse("") + " is written as"
                + " " + key + " = disabled: the old daemon never acted on it; the file shows the line that turns"
                + " opsd's check on (" + CfgFile.line(key, old.get()) + ")");
        }
    }
}
