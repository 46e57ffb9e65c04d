package io.opsd.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * tools/manager-simulator/target/opsd-manager-simulator.jar (system property {@code opsd.simulator.jar}) as a child
 * process on loopback: the central Manager for end-to-end tests. It records every call; {@link #calls(String)} reads
 * them, {@link #mode(String, String)} makes it fail, {@link #callback} makes it call a node back. See
 * docs/manager-simulator.md.
 */
final class ManagerSimulatorProcess implements AutoCloseable {

    static final Duration START_LIMIT = Duration.ofSeconds(30);
    static final Duration STOP_LIMIT = Duration.ofSeconds(15);
    private static final Pattern PORTS_LINE =
        Pattern.compile("(?m)^simulator grpc=(\\S+):(\\d+) control=(\\S+):(\\d+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<String> extraArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private Process process;
    private Path output;
    private int grpcPort;
    private int controlPort;

    private ManagerSimulatorProcess(Path dir, List<String> extraArgs) {
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts the simulator on free loopback ports; {@code extraArgs} are further flags (--token T, --tls-cert F, ...). */
    static ManagerSimulatorProcess start(String... extraArgs) throws IOException {
        return start(0, extraArgs);
    }

    /** Starts the simulator with its gRPC port fixed, so a node can be pointed at it before it runs. */
    static ManagerSimulatorProcess start(int grpcPort, String... extraArgs) throws IOException {
        for (String arg : extraArgs) {
            if (arg.equals("--port") || arg.equals("--control-port") || arg.equals("--bind")) {
                throw new IllegalArgumentException(arg + " is set by ManagerSimulatorProcess itself");
            }
        }
        Path base = Files.createDirectories(Path.of(System.getProperty("opsd.e2e.dir", "target/e2e")));
        ManagerSimulatorProcess simulator = new ManagerSimulatorProcess(Files.createTempDirectory(base, "manager-"),
            List.of(extraArgs));
        simulator.launch(grpcPort, 0);
        return simulator;
    }

    /** The gRPC port, what a node's {@code io.opsd.manager} {@code address} points at with 127.0.0.1. */
    int grpcPort() {
        return grpcPort;
    }

    /** {@code 127.0.0.1:<grpc port>}. */
    String address() {
        return "127.0.0.1:" + grpcPort;
    }

    int controlPort() {
        return controlPort;
    }

    Process process() {
        return process;
    }

    /** Everything the current process printed (the ports line, errors). */
    String output() {
        try {
            return output == null ? "" : Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The calls received, oldest first; {@code rpc} ("RegisterNode", ...) or {@code null} for all. */
    List<JsonNode> calls(String rpc) throws IOException, InterruptedException {
        return calls(rpc, 0);
    }

    /** The calls with {@code index >= since}. */
    List<JsonNode> calls(String rpc, long since) throws IOException, InterruptedException {
        String query = "?since=" + since + (rpc == null ? "" : "&rpc=" + rpc);
        List<JsonNode> calls = new ArrayList<>();
        get("/calls" + query).forEach(calls::add);
        return calls;
    }

    /** Waits until {@code count} calls of {@code rpc} were received, and returns them all. */
    List<JsonNode> awaitCalls(String rpc, int count, Duration limit) {
        AtomicReference<List<JsonNode>> seen = new AtomicReference<>(List.of());
        NodeProcess.await(limit, () -> {
            try {
                seen.set(calls(rpc));
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + rpc, e);
            }
            return seen.get().size() >= count;
        }, () -> count + " " + rpc + " call(s) expected, got " + seen.get().size() + "; simulator output:\n"
            + output());
        return seen.get();
    }

    JsonNode nodes() throws IOException, InterruptedException {
        return get("/nodes");
    }

    JsonNode states() throws IOException, InterruptedException {
        return get("/states");
    }

    /** {@code rpc}: RegisterNode, Heartbeat, ReportMetrics, SyncAgentStates or *; {@code mode}: ok, unavailable,
     *  stall, unsuccessful or unknown-node. */
    void mode(String rpc, String mode) throws IOException, InterruptedException {
        post("/mode", Map.of("rpc", rpc, "mode", mode));
    }

    /** Clears the record of calls (nodes, states and modes stay). */
    void reset() throws IOException, InterruptedException {
        post("/reset", Map.of());
    }

    /** Calls the node back: ListAgents; the answer is {@code {"ok":true,"response":{...}}} or the gRPC code. */
    JsonNode callback(String nodeId, String rpc) throws IOException, InterruptedException {
        return post("/callback", Map.of("node_id", nodeId, "rpc", rpc));
    }

    /** OperateAgent on the node: {@code operation} start, stop or restart. */
    JsonNode callback(String nodeId, String rpc, String agentId, String operation)
        throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("rpc", rpc);
        body.put("agent_id", agentId);
        body.put("operation", operation);
        return post("/callback", body);
    }

    /** {@code POST /push}: a bundle or configuration change to every registered node; one result per node. */
    JsonNode push(Map<String, ?> request) throws IOException, InterruptedException {
        return post("/push", request).path("results");
    }

    /** SIGTERM, then the exit code (143 on SIGTERM). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("manager simulator did not exit within " + STOP_LIMIT + " of SIGTERM:\n"
                + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: a Manager that crashes. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("manager simulator outlived SIGKILL by " + STOP_LIMIT);
        }
    }

    /** Stops the simulator if it runs and starts a fresh one (empty record) on the same gRPC and control ports. */
    void restartOnSamePort() throws IOException, InterruptedException {
        if (process.isAlive()) {
            stop();
        }
        launch(grpcPort, controlPort);
    }

    private void launch(int grpc, int control) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", simulatorJar().toString(),
            "--bind", "127.0.0.1", "--port", Integer.toString(grpc), "--control-port", Integer.toString(control)));
        command.addAll(extraArgs);
        output = dir.resolve("simulator-" + started.size() + ".out");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(process);
        Matcher[] ports = new Matcher[1];
        NodeProcess.await(START_LIMIT, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("manager simulator exited with " + process.exitValue() + " before it printed "
                    + "its ports; " + command + ":\n" + output());
            }
            Matcher m = PORTS_LINE.matcher(output());
            ports[0] = m.find() ? m : null;
            return ports[0] != null;
        }, () -> "no ports line from the manager simulator; output:\n" + output());
        grpcPort = Integer.parseInt(ports[0].group(2));
        controlPort = Integer.parseInt(ports[0].group(4));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(control(path)).GET(), "GET " + path);
    }

    private JsonNode post(String path, Map<String, ?> body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(control(path))
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), "POST " + path + " " + body);
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        // a callback waits for the node as long as the Manager would (90 s for OperateAgent)
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(100)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private URI control(String path) {
        return URI.create("http://127.0.0.1:" + controlPort + path);
    }

    private static Path simulatorJar() {
        String property = System.getProperty("opsd.simulator.jar");
        if (property == null) {
            throw new IllegalStateException("system property opsd.simulator.jar is not set; run through Maven, which "
                + "points it at tools/manager-simulator/target/opsd-manager-simulator.jar");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it with "
                + "mvn -f tools/manager-simulator/pom.xml package");
        }
        return jar;
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
