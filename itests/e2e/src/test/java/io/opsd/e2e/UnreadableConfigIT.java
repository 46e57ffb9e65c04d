package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Files in runtime-config/ that cannot be read as configuration: a dangling symlink, a directory with a .cfg name,
 * a file that is not in properties syntax (invalid bytes, a broken escape), a value that is rejected, and, when not
 * running as root, a file without read permission. The node starts and stays ready, every other component works,
 * the log names each file (the launcher names a dangling link or a directory, which FileInstall skips silently; a
 * bad value's line names the file and the key), and once a file is fixed the configuration is applied
 * without a restart. Bounded: one node, every wait 40 s at most.
 */
class UnreadableConfigIT {

    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "binary_path = /bin/sh\nargs = -c \"sleep 100000\"\n"
        + "health.heartbeat_timeout = disabled\n";

    @Test
    void unreadableFilesAreLoggedTheNodeStaysReadyAndAFixIsApplied() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("unreadable-config")) {
            Path elsewhere = Files.createDirectories(node.home.resolve("elsewhere"));
            Path ghostTarget = elsewhere.resolve("ghost.cfg");
            Path ghost = Files.createSymbolicLink(node.configFile("io.opsd.agent-ghost.cfg"), ghostTarget);
            Path directory = Files.createDirectories(node.configFile("io.opsd.agent-folder.cfg"));
            // not properties: bytes that are no UTF-8, NULs, a broken \\u escape
            Path garbage = node.configFile("io.opsd.agent-garbage.cfg");
            Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n', 'b', 'i', 'n', '\\', 'u', 'z', 'z',
                ' ', '=', (byte) 0xc3, '\n', '=', '=', '\n'});
            Path heartbeat = node.configFile("io.opsd.heartbeat.cfg");
            Files.writeString(node.configFile("io.opsd.agent-steady.cfg"), AGENT);
            node.start();
            node.awaitReady();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

            NodeProcess.await(LIMIT, () -> "running".equals(status(node, "steady")), () -> "steady is not running");
            assertEquals(200, post(http, node, 2048), "the heartbeat receiver runs with its defaults");
            assertEquals(200, node.status("/metrics"));
            NodeProcess.await(LIMIT, () -> logNames(node, ghost) && logNames(node, directory)
                && logNames(node, garbage), () -> "the log does not name every unreadable file:\n" + tail(node)
                + "\noutput:\n" + node.output());
            assertEquals(200, node.status("/ready"), "unreadable files do not make the node unready: "
                + node.bodyOrError("/ready"));

            // a value that is rejected: the log names the file and the key, the receiver keeps its settings
            NodeProcess.writeAtomically(heartbeat, "max_body = lots\n");
            NodeProcess.await(LIMIT, () -> log(node).contains("max_body = \"lots\""),
                () -> "the rejected value is not logged:\n" + tail(node));
            String rejection = log(node).lines().filter(l -> l.contains("max_body = \"lots\"")).findFirst()
                .orElseThrow();
            assertTrue(rejection.contains(heartbeat.toString()), "the line names the file: " + rejection);
            assertEquals(200, post(http, node, 2048), "the receiver kept its settings");
            // typed values that are no number or no boolean: the same, not a bare NumberFormatException
            for (String bad : List.of("queue_size = lots", "enabled = yes")) {
                String shown = bad.replaceAll("= (.*)", "= \"$1\"");
                NodeProcess.writeAtomically(heartbeat, bad + "\n");
                NodeProcess.await(LIMIT, () -> log(node).contains(shown),
                    () -> "the rejected " + bad + " is not logged:\n" + tail(node));
                String line = log(node).lines().filter(l -> l.contains(shown)).findFirst().orElseThrow();
                assertTrue(line.contains(heartbeat.toString()), "the line names the file: " + line);
                assertTrue(!log(node).contains("NumberFormatException"), tail(node));
                assertEquals(200, post(http, node, 2048), "the receiver kept its settings after " + bad);
            }

            // fixed, all without a restart
            long pid = node.process().pid();
            Files.writeString(ghostTarget, AGENT);
            Files.delete(directory);
            Files.writeString(node.configFile("io.opsd.agent-folder.cfg"), AGENT);
            NodeProcess.writeAtomically(garbage, AGENT);
            NodeProcess.writeAtomically(heartbeat, "max_body = 1KiB\n");
            NodeProcess.await(LIMIT, () -> "running".equals(status(node, "ghost"))
                && "running".equals(status(node, "folder")) && "running".equals(status(node, "garbage")),
                () -> "the fixed agents do not run: ghost " + status(node, "ghost") + ", folder "
                    + status(node, "folder") + ", garbage " + status(node, "garbage") + "\n" + tail(node));
            NodeProcess.await(LIMIT, () -> post(http, node, 2048) == 413, () -> "max_body = 1KiB not applied");
            assertEquals(200, post(http, node, 512));
            assertEquals(pid, node.process().pid());
            assertTrue(node.process().isAlive());
            assertEquals(200, node.status("/ready"), node.bodyOrError("/ready"));
        }
    }

    @Test
    void aFileWithoutReadPermissionIsLoggedAndAppliedOnceReadable() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads a file without read permission");
        try (NodeProcess node = NodeProcess.newHome("unreadable-mode")) {
            Path locked = node.configFile("io.opsd.agent-locked.cfg");
            Files.writeString(locked, AGENT);
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            node.start();
            node.awaitReady();
            NodeProcess.await(LIMIT, () -> logNames(node, locked), () -> "the log does not name " + locked + ":\n"
                + tail(node) + "\noutput:\n" + node.output());
            assertEquals(200, node.status("/ready"), node.bodyOrError("/ready"));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setLastModifiedTime(locked, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            NodeProcess.await(LIMIT, () -> "running".equals(status(node, "locked")), () -> "locked does not run:\n"
                + tail(node));
        }
    }

    /** Whether opsd.log or the process output (the journal, under systemd) names the file. */
    private static boolean logNames(NodeProcess node, Path file) {
        return log(node).contains(file.toString()) || node.output().contains(file.toString());
    }

    private static int post(HttpClient http, NodeProcess node, int bytes) {
        String padding = "x".repeat(Math.max(0, bytes - 80));
        String body = "{\"agent_id\":\"steady\",\"pid\":1,\"status\":\"running\",\"version\":\"" + padding + "\"}";
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body,
                    StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The agent's status in data/agents/ID.json, or null before it is written. */
    private static String status(NodeProcess node, String id) {
        try {
            return JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json"))).path("status").asText();
        } catch (IOException e) {
            return null;
        }
    }

    private static String log(NodeProcess node) {
        try {
            return node.log();
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(NodeProcess node) {
        String log = log(node);
        return log.substring(Math.max(0, log.length() - 4000));
    }
}
