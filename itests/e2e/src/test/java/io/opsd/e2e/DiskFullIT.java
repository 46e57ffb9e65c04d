package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The node's data directory is on a small file system (a tmpfs mounted over {@code data/}) that fills up while
 * agents run and heartbeats arrive. The node stays up: /health answers 200, heartbeats are answered 200, /ready
 * still answers 200 and lists the store under {@code degraded} with the path and the error, which the log names
 * too; no agent state file already stored becomes empty or unreadable. Once space is freed, new heartbeats reach
 * the disk and the degradation clears without a restart. Needs root (mount); skipped otherwise. Bounded: one fill,
 * at most 200 heartbeats while full, every wait 40 s at most.
 */
class DiskFullIT {

    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AGENTS = List.of("df1", "df2");
    private static final int CHUNK = 1 << 20;
    /** tmpfs size: the framework cache (about 55 MB) and the store fit, and the filler takes the rest */
    private static final String SIZE = "128m";

    @Test
    void aFullDataDiskDegradesTheStoreAndTheNodeRecoversWhenSpaceIsFreed() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("diskfull")) {
            Path data = Files.createDirectories(node.home.resolve("data"));
            assumeTrue(mountTmpfs(data), "cannot mount a tmpfs over " + data + " (needs root): skipped");
            try {
                run(node, data);
            } finally {
                node.close(); // the node holds files on the mount
                unmount(data);
            }
        }
    }

    private static void run(NodeProcess node, Path data) throws Exception {
        for (String id : AGENTS) {
            Files.writeString(node.configFile("io.opsd.agent-" + id + ".cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        node.start();
        node.awaitReady();
        for (String id : AGENTS) {
            assertEquals(200, heartbeat(http, node, id, 1.5));
        }
        NodeProcess.await(LIMIT, () -> AGENTS.stream().allMatch(id -> "running".equals(stored(node, id, "status"))
            && "1.5".equals(stored(node, id, "reported_cpu"))), () -> "agents not running and stored");

        Path filler = data.resolve("filler");
        long filled = fill(filler);
        assertTrue(filled > 0, "the filler wrote something");

        // heartbeats go on while the disk is full; every one is answered, none with a server error
        Path agentsDir = data.resolve("agents");
        int sent = 0;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (storeProblem(node) == null) {
            assertTrue(sent < 200 && System.nanoTime() - deadline < 0, "the store never reported the full disk"
                + " after " + sent + " heartbeats: " + node.bodyOrError("/ready"));
            String id = AGENTS.get(sent % AGENTS.size());
            int status = heartbeat(http, node, id, 2.5);
            assertEquals(200, status, "heartbeat " + sent + " while the disk is full");
            sent++;
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // heartbeat pace
        }
        String problem = storeProblem(node);
        assertTrue(problem.contains(agentsDir.toString()) && problem.contains("No space left on device"),
            "/ready names the directory and the error: " + problem);
        assertEquals(200, node.status("/ready"), "a degraded store does not make the node unready");
        assertEquals(200, node.status("/health"));
        assertEquals(200, node.status("/heartbeat/stats"));
        assertEquals(200, heartbeat(http, node, "df1", 3.5));
        String log = node.log();
        assertTrue(log.contains("cannot write agent state to " + agentsDir) && log.contains("No space left on device"),
            "the log names the directory and the error:\n" + tail(log));
        checkStore(agentsDir);

        Files.delete(filler);
        // the store retries with backoff (1 s, 2 s, 4 s ...): a new heartbeat reaches the disk without a restart
        assertEquals(200, heartbeat(http, node, "df1", 42.5));
        NodeProcess.await(LIMIT, () -> "42.5".equals(stored(node, "df1", "reported_cpu")),
            () -> "the heartbeat after the disk was freed was not stored: " + node.bodyOrError("/ready"));
        NodeProcess.await(LIMIT, () -> storeProblem(node) == null, () -> "still degraded: " + node.bodyOrError("/ready"));
        assertTrue(node.log().contains("agent state is written to " + agentsDir + " again"), "recovery is logged");
        checkStore(agentsDir);
        assertTrue(node.process().isAlive());
        assertEquals(0, node.terminate(Duration.ofSeconds(30)), "an orderly stop, everything written");
        assertEquals("42.5", stored(node, "df1", "reported_cpu"));
    }

    /** Writes 1 MiB chunks until the file system is full; returns the bytes written. Bounded: 512 chunks. */
    private static long fill(Path file) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 512; i++) {
                out.write(chunk);
                written += CHUNK;
            }
        } catch (IOException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("No space left on device"), e.toString());
            return written;
        }
        throw new AssertionError("512 MiB written to a " + SIZE + " file system without it filling up");
    }

    private static boolean mountTmpfs(Path dir) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0755", "opsd-diskfull",
                dir.toString()).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no mount binary
        }
    }

    private static void unmount(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            // something still holds a file there: detach it so the mount never outlives the test
            new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("umount " + dir + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }

    private static int heartbeat(HttpClient http, NodeProcess node, String agent, double cpu) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\":\"" + agent
                    + "\",\"pid\":1,\"status\":\"running\",\"cpu\":" + cpu + ",\"memory\":1048576}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A field of data/agents/ID.json as text, or null when the file is missing or does not read. */
    private static String stored(NodeProcess node, String id, String field) {
        try {
            JsonNode value = JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json"))).get(field);
            return value == null ? null : value.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** The store's entry under "degraded" in /ready, or null. */
    private static String storeProblem(NodeProcess node) {
        try {
            for (JsonNode d : NodeProcess.json(node.get("/ready")).path("degraded")) {
                if ("store".equals(d.path("name").asText())) {
                    return d.path("problem").asText();
                }
            }
            return null;
        } catch (IOException e) {
            throw new AssertionError("/ready does not answer while the disk is full", e);
        }
    }

    /** Every state file parses and holds its own agent; nothing was set aside as corrupt. */
    private static void checkStore(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertFalse(name.contains(".corrupt"), "a state file was set aside: " + name);
                if (name.endsWith(".json")) {
                    JsonNode state = JSON.readTree(Files.readString(f));
                    assertEquals(name.substring(0, name.length() - 5), state.path("id").asText(), f.toString());
                    assertEquals("running", state.path("status").asText(), f.toString());
                }
            }
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 3000));
    }
}
