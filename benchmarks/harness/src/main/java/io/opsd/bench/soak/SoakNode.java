package io.opsd.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsd.bench.node.Http;
import io.opsd.bench.node.NodeConfig;

/**
 * The soak's node: a home with a copy of the shipped runtime-config/, the soak's agents and Manager link, and
 * the opsd.jar process on it.
 */
final class SoakNode {

    /** Agents that only run: heartbeats go to these, and nothing reconfigures them. */
    static final List<String> STEADY = List.of("steady-1", "steady-2", "steady-3", "steady-4", "crash-1", "crash-2",
        "burner");
    static final String EDITED = "edited";
    static final String STUBBORN = "stubborn";
    static final String TYPED = "typed";
    static final List<String> ALL = List.of("steady-1", "steady-2", "steady-3", "steady-4", "crash-1", "crash-2",
        "burner", EDITED, STUBBORN, TYPED);

    final Path home;
    final int httpPort;
    final int grpcPort;
    private final Path jar;
    private final List<String> jvmOptions;
    private Process process;

    private SoakNode(Path home, Path jar, List<String> jvmOptions, int httpPort, int grpcPort) {
        this.home = home;
        this.jar = jar;
        this.jvmOptions = jvmOptions;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    static SoakNode create(Path home, Path jar, Path shippedConfig, List<String> jvmOptions, int managerPort)
        throws IOException {
        NodeConfig copied = NodeConfig.copy(shippedConfig, home);
        Path config = copied.dir();
        for (String collector : List.of("cpu", "memory", "disk", "network", "load")) {
            copied.replace("io.opsd.collector." + collector + ".cfg", "(?m)^#interval\\s*=.*$", "interval = 2s");
        }
        // bounded structures small enough to fill during the warm-up: growth after that is a leak, not filling
        Files.writeString(config.resolve("io.opsd.store.cfg"), "history_max_points = 30\n"
            + "history_flush_interval = 5s\n");
        Files.writeString(config.resolve("io.opsd.manager.cfg"), "address = 127.0.0.1:" + managerPort + "\n"
            + "heartbeat_interval = 2s\nreport_interval = 2s\nsync_interval = 2s\nreconnect_max = 2s\ntimeout = 2s\n"
            + "buffer_max = 2MiB\n");
        Path bin = Files.createDirectories(home.resolve("agent-bin"));
        script(bin, "steady", "trap 'exit 0' TERM\nwhile :; do echo \"tick $(date +%s)\"; sleep 1 & wait $!; done\n");
        script(bin, "crash", "echo starting; sleep 2; echo crashing >&2; exit 3\n");
        script(bin, "burner", "trap 'exit 0' TERM\nwhile :; do :; done\n");
        script(bin, "stubborn", "trap 'echo ignoring TERM' TERM\nwhile :; do sleep 1; done\n");
        script(bin, "edited", "trap 'exit 0' TERM\necho \"edit $1\"\nwhile :; do sleep 1 & wait $!; done\n");
        String common = "health.interval = 2s\nlog.max_size = 16KiB\nlog.max_files = 2\n";
        for (int i = 1; i <= 4; i++) {
            agent(config, "steady-" + i, bin.resolve("steady"), "", common);
        }
        String crashing = common + "health.heartbeat_timeout = disabled\nrestart.backoff_base = 1s\n"
            + "restart.backoff_max = 4s\nrestart.max_retries = 1000000\nrestart.reset_after = 1h\n";
        agent(config, "crash-1", bin.resolve("crash"), "", crashing);
        agent(config, "crash-2", bin.resolve("crash"), "", crashing);
        // burns a core until the CPU threshold has it restarted, over and over
        agent(config, "burner", bin.resolve("burner"), "", common + "health.cpu_threshold = 30\n"
            + "health.threshold_duration = 6s\nrestart.backoff_base = 1s\nrestart.backoff_max = 2s\n"
            + "restart.max_retries = 1000000\nstop.timeout = 2s\n");
        agent(config, STUBBORN, bin.resolve("stubborn"), "0", common + "health.heartbeat_timeout = disabled\n"
            + "stop.timeout = 1s\n");
        agent(config, EDITED, bin.resolve("edited"), "0", common + "health.heartbeat_timeout = disabled\n");
        agent(config, TYPED, Path.of("/bin/sleep"), "100000", common + "health.heartbeat_timeout = disabled\n"
            + "type = nice\nnice.level = 5\nstop.timeout = 2s\n");
        return new SoakNode(home, jar, jvmOptions, copied.httpPort(), copied.grpcPort());
    }

    /** The agent file of {@code id} with {@code args}; rewritten whole, as an operator's editor would. */
    static void agent(Path config, String id, Path binary, String args, String rest) throws IOException {
        Path tmp = config.resolve("." + id + ".tmp");
        Files.writeString(tmp, "binary_path = " + binary + "\n" + (args.isEmpty() ? "" : "args = " + args + "\n")
            + rest);
        Files.move(tmp, config.resolve("io.opsd.agent-" + id + ".cfg"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    private static void script(Path bin, String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }


    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--home", home.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(home.resolve("node.out").toFile()).start();
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and the exit code; -1 if it had to be killed after {@code seconds}. */
    int stop(int seconds) throws InterruptedException {
        process.destroy();
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    Path config(String name) {
        return home.resolve("runtime-config").resolve(name);
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path agentBin(String name) {
        return home.resolve("agent-bin").resolve(name);
    }

    /** The agent's state file, or empty before it is written. */
    Optional<JsonNode> state(String id) {
        Path f = home.resolve("data/agents/" + id + ".json");
        try {
            return Files.exists(f) ? Optional.of(Http.JSON.readTree(Files.readString(f))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // replaced while being read
        }
    }

    Optional<Instant> lastHeartbeat(String id) {
        return state(id).map(s -> s.path("last_heartbeat").asText("")).filter(t -> !t.isEmpty())
            .map(t -> java.time.OffsetDateTime.parse(t).toInstant());
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(home.resolve("node.out"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
