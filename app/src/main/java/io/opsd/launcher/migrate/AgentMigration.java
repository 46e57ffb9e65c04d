package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code agents} list, each entry merged with {@code agent_defaults}, as one {@code io.opsd.agent-<id>.cfg}
 * each. Where opsd's defaults differ from what the old daemon did (a clean environment, its own work directory),
 * the old behaviour is written explicitly.
 */
final class AgentMigration {

    private final Conversion c;
    private final String oldWorkDir;
    private final HeartbeatListeners listeners;
    private final HealthMigration health;
    private final List<String> converted = new ArrayList<>();

    /** {@code oldWorkDir}: the old daemon's {@code daemon.work_dir}, below which its agents' directories were. */
    AgentMigration(Conversion c, String oldWorkDir, HeartbeatListeners listeners) {
        this.c = c;
        this.oldWorkDir = oldWorkDir;
        this.listeners = listeners;
        this.health = new HealthMigration(c);
    }

    /** Converts every entry; returns the ids written, in order. */
    List<String> convert(YamlMap root) {
        Optional<YamlMap> defaults = root.claim("agent_defaults").flatMap(e -> {
            if (e.value() == null) {
                return Optional.empty();
            }
            if (e.value() instanceof YamlMap m) {
                return Optional.of(m);
            }
            c.warnings().warn(e.path(), "is not a mapping; not carried over");
            return Optional.empty();
        });
        Optional<YamlMap.Entry> list = root.claim("agents");
        if (list.isEmpty() || list.get().value() == null) {
            return List.of();
        }
        if (!(list.get().value() instanceof List<?> entries)) {
            c.warnings().warn(list.get().path(), "is not a list; no agent is carried over");
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = list.get().path() + "[" + i + "]";
            if (!(entries.get(i) instanceof YamlMap entry)) {
                c.warnings().warn(path, "is not a mapping; skipped");
                continue;
            }
            YamlMap agent = YamlMap.merge(defaults.orElse(null), entry);
            Optional<String> id = agent.take("id").flatMap(c.values()::text);
            if (id.isEmpty()) {
                c.warnings().warn(path, "has no id; agent skipped");
            } else if (!Migration.AGENT_ID.matcher(id.get()).matches()) {
                c.warnings().warn(path + ".id", "= " + id.get() + " is not an agent id opsd accepts (1 to 100 ASCII"
                    + " letters, digits, '_', '.' or '-', starting with a letter or digit); agent skipped");
            } else if (!seen.add(id.get())) {
                c.warnings().warn(path + ".id", "= " + id.get() + " is the id of an earlier agent; agent skipped");
            } else if (agent(agent, id.get(), path)) {
                converted.add(id.get());
                Migration.reportUnused(agent, c.warnings());
            }
        }
        return List.copyOf(converted);
    }

    /** Writes io.opsd.agent-<id>.cfg; false when the agent cannot run under opsd at all (it is then skipped). */
    private boolean agent(YamlMap a, String id, String path) {
        Optional<String> binary = a.take("binary_path").flatMap(c.values()::text);
        if (binary.isEmpty()) {
            c.warnings().warn(path, "has no binary_path; agent " + id + " skipped");
            return false;
        }
        CfgFile f = new CfgFile("io.opsd.agent-" + id + ".cfg",
            "io.opsd.agent-" + id + ": agent " + id + ", written by `java -jar opsd.jar import-config` from "
                + c.source() + " (" + path + ").",
            "Keys not set here keep their defaults (docs/agents.md lists them all).");
        c.add(f);
        f.set("id", id);
        Optional<String> type = a.take("type").flatMap(c.values()::text);
        type.ifPresent(v -> f.set("type", v));
        a.take("name").flatMap(c.values()::text).ifPresent(v -> f.set("name", v));
        a.take("version").flatMap(c.values()::text).ifPresent(v -> f.set("version", v));
        f.set("binary_path", binary.get());
        if (!binary.get().startsWith("/")) {
            c.warnings().warn(a.pathOf("binary_path"), "= " + binary.get() + " is not an absolute path: opsd refuses"
                + " agent " + id + " until it is one");
        }
        a.take("args").ifPresent(e -> c.values().args(e).ifPresent(v -> {
            f.set("args", v);
            f.differs("args are passed to the agent (the old daemon ignored them)");
            c.warnings().warn(e.path(), "is carried over as args = " + v + ": the old daemon ignored args, opsd passes"
                + " them to the agent");
        }));
        String passed = type.filter("custom"::equals).isPresent() ? "The custom type passes it as -config <file>, as"
            + " the old daemon did." : null;
        a.take("config_file").flatMap(c.values()::text).ifPresent(v -> f.set("config_file", v, passed));
        workDir(a, id, f);
        a.take("env").flatMap(c.values()::keyValues).ifPresent(v -> f.set("env", v));
        environmentAndUser(f);
        Optional<String> enabled = a.take("enabled").flatMap(c.values()::bool);
        if (enabled.isPresent()) {
            f.set("enabled", enabled.get());
        } else {
            f.set("enabled", "false", "The old daemon started only agents with enabled: true.");
            c.warnings().warn(a.pathOf("enabled"), "is not set: the old daemon did not start agent " + id + ", so it"
                + " is written as enabled = false (set it to true to start the agent)");
        }
        a.take("socket_path").flatMap(c.values()::text).ifPresent(v -> listeners.agentSocket(id, v,
            a.pathOf("socket_path")));
        a.take("keep_running_on_exit").flatMap(c.values()::bool).ifPresent(v -> f.set("keep_running_on_exit", v));
        health.convert(a, id, f);
        restart(a, f);
        log(a, f);
        return true;
    }

    private void workDir(YamlMap a, String id, CfgFile f) {
        Optional<String> set = a.take("work_dir").flatMap(c.values()::text);
        if (set.isPresent()) {
            f.set("work_dir", set.get());
            return;
        }
        String old = oldWorkDir.replaceAll("/+$", "") + "/agents/" + id;
        f.set("work_dir", old, "The old daemon's default (<daemon.work_dir>/agents/<id>): state the agent keeps there"
            + " (filebeat's registry\nunder -path.home) stays where it is. opsd's own default is <data>/work/<id>.");
        f.keptAsOld("work_dir is the old daemon's default, " + old);
    }

    private static void environmentAndUser(CfgFile f) {
        f.set("inherit_env", "true", "The old daemon passed its own environment to agents. opsd's default (false)"
            + " starts them with a clean one\n(PATH, LANG, HOME) plus env: to have that, write inherit_env = false.");
        f.suggest("user", "root", "The old daemon ran as root, and so did its agents. opsd runs agents as its own user"
            + " (opsd). An agent that needs\nroot needs the unit variant in docs/install.md, \"Agents that need"
            + " root\"; then remove the '#' below.");
        f.keptAsOld("the agent gets opsd's environment, as it got the old daemon's (inherit_env = true)");
        f.differs("the agent runs as opsd's user, not as root (see user)");
    }

    private void restart(YamlMap a, CfgFile f) {
        Optional<YamlMap> r = a.map("restart", c.warnings());
        r.flatMap(m -> m.take("policy")).ifPresent(e -> c.values().text(e).ifPresent(p -> {
            String policy = p.toLowerCase(Locale.ROOT).replace('_', '-');
            if (List.of("always", "on-failure", "never").contains(policy)) {
                f.set("restart.policy", policy);
            } else {
                c.warnings().warn(e.path(), "= " + p + " is not always, on-failure or never; not carried over");
            }
        }));
        r.flatMap(m -> m.take("max_retries")).flatMap(e -> c.values().integer(e, 0, Integer.MAX_VALUE))
            .ifPresent(v -> f.set("restart.max_retries", v));
        r.flatMap(m -> m.take("backoff_base")).flatMap(e -> c.values().duration(e, 0))
            .ifPresent(v -> f.set("restart.backoff_base", v));
        r.flatMap(m -> m.take("backoff_max")).flatMap(e -> c.values().duration(e, 0))
            .ifPresent(v -> f.set("restart.backoff_max", v));
        r.flatMap(m -> m.take("reset_after")).flatMap(e -> c.values().duration(e, 0))
            .ifPresent(v -> f.set("restart.reset_after", v));
    }

    private void log(YamlMap a, CfgFile f) {
        Optional<YamlMap> l = a.map("log", c.warnings());
        l.flatMap(m -> m.take("max_size")).flatMap(c.values()::sizeInMegabytes)
            .ifPresent(v -> f.set("log.max_size", v));
        l.flatMap(m -> m.take("max_files")).flatMap(e -> c.values().integer(e, 1, 1000))
            .ifPresent(v -> f.set("log.max_files", v));
        l.flatMap(m -> m.take("compress")).flatMap(c.values()::bool).ifPresent(v -> f.set("log.compress", v));
    }
}
