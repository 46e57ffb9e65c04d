package io.opsd.launcher.migrate;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The old daemon's {@code daemon.yaml} as opsd's configuration: one {@link CfgFile} per PID (architecture.md §6,
 * "Migration"). A converted node behaves, as the Manager, the agents and the operator see it, as the old daemon did
 * (issue 17): where opsd's defaults are better but different, the old behaviour is written explicitly, with a
 * comment saying how to turn the better one on. Whatever is not carried over is named in a warning with its YAML
 * path.
 */
final class Migration {

    /** io.opsd.api.store.AgentIds.PATTERN: the launcher runs outside the framework and cannot load io.opsd.api. */
    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    /** io.opsd.node's node id rule. */
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    /** {@code oldWorkDir}: the old daemon's {@code daemon.work_dir}, where {@code --from-node} usually points. */
    record Result(List<CfgFile> files, List<String> warnings, List<String> agents, String oldWorkDir) {
    }

    private final Conversion c;

    private Migration(String source) {
        this.c = new Conversion(source);
    }

    static Result of(YamlMap root, String source) {
        return new Migration(source).run(root);
    }

    private Result run(YamlMap root) {
        Optional<YamlMap> daemon = root.map("daemon", c.warnings());
        Optional<String> manager = root.map("manager", c.warnings()).flatMap(new ManagerMigration(c)::convert);
        String workDir = daemon.map(new DaemonMigration(c)::convert).orElse(DaemonMigration.OLD_WORK_DIR);
        new GrpcMigration(c).convert(daemon.flatMap(d -> d.take("grpc_port")), "daemon.grpc_port", manager);
        HeartbeatListeners listeners = new HeartbeatListeners(c);
        daemon.flatMap(d -> d.take("http_port")).ifPresent(listeners::http);
        daemon.flatMap(d -> d.take("socket_path")).ifPresent(listeners::daemonSocket);
        singleAgentSection(root, listeners);
        new CollectorMigration(c).convert(root.map("collectors", c.warnings()), root.pathOf("collectors"));
        List<String> agents = new AgentMigration(c, workDir, listeners).convert(root);
        listeners.writeSocket();
        unsupported(root, "update", "is not carried over: opsd has no self-update (upgrade the package or opsd.jar;"
            + " see docs/install.md)");
        unsupported(root, "pprof", "is not carried over: opsd has no pprof endpoint (use jcmd or JDK Flight"
            + " Recorder)");
        unsupported(root, "max_procs", "is not carried over: it is a Go runtime setting (bound the JVM with"
            + " -XX:ActiveProcessorCount and -Xmx in the service unit)");
        reportUnused(root, c.warnings());
        return new Result(c.files(), c.warnings().lines(), agents, workDir);
    }

    /**
     * The old single-agent format's {@code agent:} section: its {@code socket_path} is where the old daemon received
     * heartbeats; the agent itself is not converted (the old daemon preferred {@code agents:} too).
     */
    private void singleAgentSection(YamlMap root, HeartbeatListeners listeners) {
        root.claim("agent").ifPresent(e -> {
            if (!(e.value() instanceof YamlMap agent)) {
                if (e.value() != null) {
                    c.warnings().warn(e.path(), "is not a mapping; not carried over");
                }
                return;
            }
            agent.claim("socket_path").ifPresent(listeners::daemonSocket);
            for (YamlMap.Entry leaf : agent.leaves()) {
                if (!leaf.path().equals(agent.pathOf("socket_path"))) {
                    c.warnings().warn(leaf.path(), "is not carried over: the old single-agent section is not"
                        + " converted; write the agent as an entry of agents:");
                }
            }
        });
    }

    private void unsupported(YamlMap root, String key, String why) {
        root.claim(key).ifPresent(e -> {
            if (e.value() instanceof YamlMap m && !m.keys().isEmpty()) {
                m.leaves().forEach(leaf -> c.warnings().warn(leaf.path(), why));
            } else {
                c.warnings().warn(e.path(), why);
            }
        });
    }

    static void reportUnused(YamlMap map, Warnings warnings) {
        for (YamlMap.Entry e : map.unused()) {
            warnings.warn(e.path(), "is not known to import-config; not carried over");
        }
    }
}
