package io.opsd.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsd.bench.node.Http;
import io.opsd.bench.node.NodeConfig;
import io.opsd.bench.node.Await;

/** tools/manager-simulator as a child process on fixed loopback ports, so that it can come back after an outage. */
final class Simulator {

    final int grpcPort;
    private final int controlPort;
    private final Path jar;
    private final Path dir;
    private final Http control;
    private Process process;
    private int starts;

    Simulator(Path jar, Path dir) throws IOException {
        this.jar = jar;
        this.dir = dir;
        this.grpcPort = NodeConfig.freePort();
        this.controlPort = NodeConfig.freePort();
        this.control = new Http(controlPort);
    }

    void start() throws IOException {
        Path ports = dir.resolve("simulator.ports");
        Files.deleteIfExists(ports);
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx96m", "-jar", jar.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(grpcPort),
            "--control-port", Integer.toString(controlPort), "--ports-file", ports.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("simulator-" + starts++ + ".out").toFile()).start();
        Await.until(Duration.ofSeconds(30), () -> Files.exists(ports) || !process.isAlive(),
            () -> "the simulator never wrote " + ports);
        if (!process.isAlive()) {
            throw new IllegalStateException("the simulator exited with " + process.exitValue() + "; see " + dir);
        }
    }

    /** An outage: the Manager's process is gone (SIGTERM), not merely answering errors. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** RegisterNode calls recorded since this start (a restarted simulator has forgotten everything). */
    int registrations() throws IOException, InterruptedException {
        return control.get("/calls?rpc=RegisterNode").json().size();
    }

    int calls(String rpc) throws IOException, InterruptedException {
        return control.get("/calls?rpc=" + rpc).json().size();
    }

    /** Clears the call record, so that it does not grow over the soak. */
    void resetCalls() throws IOException, InterruptedException {
        control.post("/reset", "");
    }

    List<String> syncedAgents() throws IOException, InterruptedException {
        JsonNode states = control.get("/states").json();
        java.util.ArrayList<String> ids = new java.util.ArrayList<>();
        states.forEach(s -> ids.add(s.path("agent_id").asText()));
        return ids;
    }
}
