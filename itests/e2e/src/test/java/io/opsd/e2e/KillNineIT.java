package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.manager.ReportMetricsRequest;

/**
 * SIGKILL of the node at random moments, while heartbeats pour in and the Manager is away (so reports and state
 * syncs are being written to the on-disk buffer): after each kill the node starts again, and every agent state file
 * and every buffer entry still reads, and the node comes back ready with its agents. Bounded: 5 rounds.
 */
class KillNineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 5;

    @Test
    void killedAtRandomTheStoreAndTheManagerBufferStayReadable() throws Exception {
        long seed = Long.getLong("opsd.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        try (NodeProcess node = NodeProcess.newHome("kill9")) {
            for (String id : List.of("k1", "k2", "k3")) {
                Files.writeString(node.configFile("io.opsd.agent-" + id + ".cfg"), "binary_path = /bin/sh\n"
                    + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\nhealth.interval = 1s\n");
            }
            // a Manager that is never there: reports and syncs go to the disk buffer all the time
            Files.writeString(node.configFile("io.opsd.manager.cfg"), "address = 127.0.0.1:" + NodeProcess.freePort()
                + "\nreport_interval = 1s\nsync_interval = 1s\nheartbeat_interval = 1s\nreconnect_max = 1s\n");
            for (String collector : List.of("cpu", "memory")) {
                Path cfg = node.configFile("io.opsd.collector." + collector + ".cfg");
                Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^#interval\\s*=.*$", "interval = 1s"));
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int round = 1; round <= ROUNDS; round++) {
                node.start();
                node.awaitReady();
                AtomicBoolean load = new AtomicBoolean(true);
                AtomicInteger accepted = new AtomicInteger();
                Thread heartbeats = new Thread(() -> {
                    for (int i = 0; load.get() && i < 100_000; i++) {
                        if (post(http, node, "k" + (1 + i % 3)) == 200) {
                            accepted.incrementAndGet();
                        }
                    }
                });
                heartbeats.start();
                long delay = 500 + random.nextInt(2500);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(delay).toNanos()); // the random moment
                node.process().destroyForcibly();
                assertTrue(node.process().waitFor(30, TimeUnit.SECONDS));
                load.set(false);
                heartbeats.join(30_000);
                String where = "seed " + seed + ", round " + round + ", killed after " + delay + " ms, "
                    + accepted.get() + " heartbeats accepted";
                checkStore(node, where);
                checkBuffer(node, where);
            }
            node.start();
            node.awaitReady();
            NodeProcess.await(Duration.ofSeconds(40), () -> running(node) == 3, () -> "agents not all running again");
        }
    }

    private static int post(HttpClient http, NodeProcess node, String agent) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat"))
                .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\":\"" + agent
                    + "\",\"pid\":1,\"cpu\":1.5}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void checkStore(NodeProcess node, String where) throws IOException {
        Path dir = node.dataFile("agents");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(!name.contains(".corrupt"), where + ": a corrupt state file was set aside: " + name);
                if (name.endsWith(".json")) {
                    JsonNode state = JSON.readTree(Files.readString(f));
                    assertEquals(name.substring(0, name.length() - 5), state.path("id").asText(), where + ": " + f);
                }
            }
        }
    }

    private static void checkBuffer(NodeProcess node, String where) throws IOException {
        Path dir = node.dataFile("manager/buffer");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".report")) {
                    ReportMetricsRequest.parseFrom(Files.readAllBytes(f)); // throws if torn
                } else if (name.endsWith(".states")) {
                    SyncAgentStatesRequest.parseFrom(Files.readAllBytes(f));
                } else {
                    assertTrue(name.endsWith(".tmp"), where + ": unexpected file in the buffer: " + name);
                }
            }
        }
    }

    private static long running(NodeProcess node) {
        long n = 0;
        for (String id : List.of("k1", "k2", "k3")) {
            try {
                if ("running".equals(JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json")))
                    .path("status").asText())) {
                    n++;
                }
            } catch (IOException e) {
                // not written yet
            }
        }
        return n;
    }
}
