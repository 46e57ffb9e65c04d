package io.opsd.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opsd.testing.Await;
import io.opsd.testing.Http;

/** A node home on disk and the opsd.jar process running on it, on a free loopback HTTP port. */
final class NodeProcess implements AutoCloseable {

    static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final int httpPort;
    /** The gRPC DaemonService port, set in the home's io.opsd.grpc.server.cfg. */
    final int grpcPort;
    private final List<Process> started = new ArrayList<>();
    private final java.util.Map<String, String> environment = new java.util.TreeMap<>();
    private Process process;
    private Path output;

    private NodeProcess(Path home, int httpPort, int grpcPort) {
        this.home = home;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    /** A new home holding a copy of the shipped runtime-config/, with a free HTTP port. */
    static NodeProcess newHome(String name) throws IOException {
        Path base = Files.createDirectories(Path.of(System.getProperty("opsd.e2e.dir", "target/e2e")));
        Path home = Files.createTempDirectory(base, name + "-");
        Path config = Files.createDirectories(home.resolve("runtime-config"));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("opsd.runtime-config")))) {
            for (Path f : files.toList()) {
                Files.copy(f, config.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int port = freePort();
        Path http = config.resolve("org.apache.felix.http.cfg");
        Files.writeString(http, Files.readString(http).replaceAll("(?m)^org\\.osgi\\.service\\.http\\.port\\s*=.*$",
            "org.osgi.service.http.port = " + port));
        int grpc = freePort();
        Path grpcConfig = config.resolve("io.opsd.grpc.server.cfg");
        Files.writeString(grpcConfig, Files.readString(grpcConfig).replaceAll("(?m)^#port\\s*=.*$", "port = " + grpc));
        return new NodeProcess(home, port, grpc);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Path configFile(String name) {
        return home.resolve("runtime-config").resolve(name);
    }

    Path dataFile(String name) {
        return home.resolve("data").resolve(name);
    }

    /** Sets an environment variable of the nodes started from now on. */
    NodeProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts {@code java -jar opsd.jar --home HOME args...}; output goes to a file per start. */
    Process start(String... args) throws IOException {
        return launch(List.of(), List.of(args));
    }

    /** Starts {@code java JVM_OPTIONS -jar opsd.jar --home HOME}. */
    Process startWithJvmOptions(String... jvmOptions) throws IOException {
        return launch(List.of(jvmOptions), List.of());
    }

    private Process launch(List<String> jvmOptions, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("opsd.jar"), "--home", home.toString()));
        command.addAll(args);
        output = home.resolve("process-" + started.size() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        started.add(p);
        process = p;
        return p;
    }

    /** Runs opsd.jar with {@code args} (no --home) to completion and returns exit code and output. */
    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", System.getProperty("opsd.jar")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "run-", ".out");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        if (!p.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("opsd " + command + " did not finish within " + START_LIMIT);
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    record Result(int exitCode, String output) {
    }

    Process process() {
        return process;
    }

    String output() {
        try {
            return output == null ? "" : Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    String log() throws IOException {
        Path log = home.resolve("logs/opsd.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    void awaitReady() {
        await(START_LIMIT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("opsd exited with " + process.exitValue() + " before it was ready:\n"
                    + output());
            }
            return status("/ready") == 200;
        }, () -> "/ready never answered 200; output:\n" + output());
    }

    /** SIGTERM, then the exit code, waiting at most {@code limit}. */
    int terminate(Duration limit) throws InterruptedException {
        process.destroy(); // SIGTERM on Linux
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("opsd did not exit within " + limit + " of SIGTERM");
        }
        return process.exitValue();
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    int status(String path) {
        try {
            return get(path).status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The body of a JSON answer. */
    static JsonNode json(Http.Response response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** The body GET {@code path} answers, or what went wrong: for failure messages. */
    String bodyOrError(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    Http.Response get(String path) throws IOException {
        return Http.get(URI.create("http://127.0.0.1:" + httpPort + path));
    }

    /** The agent's stored state ({@code data/agents/ID.json}), or an empty object while it cannot be read. */
    JsonNode agentState(String id) {
        try {
            return JSON.readTree(Files.readString(dataFile("agents/" + id + ".json")));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Waits until the agent is stored as running with a pid, and returns that pid. */
    long awaitAgentRunning(String id, Duration limit) {
        await(limit, () -> "running".equals(agentState(id).path("status").asText())
            && agentState(id).path("pid").asLong() > 0, () -> id + " " + agentState(id));
        return agentState(id).path("pid").asLong();
    }

    /** {@link Await#until} polling every 50 ms: the e2e tests' conditions are HTTP calls and file reads. */
    static void await(Duration limit, BooleanSupplier done, Supplier<String> seen) {
        Await.until(limit, POLL, done, seen);
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
