package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code java -jar opsd.jar import-config daemon.yaml --out <home>/runtime-config}, then a node started on what it
 * wrote: the files are ones a node starts with (issue 10, acceptance 3).
 */
class ImportConfigIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNodeStartsOnTheImportedConfigurationAndRunsTheImportedAgents() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("import-config")) {
            // the old daemon's file, on the free ports NodeProcess chose: the import carries them over
            Path yaml = Files.writeString(node.home.resolve("daemon.yaml"), """
                daemon:
                  id: imported-gw-1
                  log_level: info
                  log_file: /var/log/daemon/daemon.log
                  work_dir: /var/lib/daemon
                  pid_file: /var/run/daemon.pid
                  grpc_port: %d
                  http_port: %d
                  labels: {site: lab}
                manager:
                  heartbeat_interval: 30s
                  reconnect_interval: 5s
                  timeout: 10s
                collectors:
                  cpu: {enabled: true, interval: 30s}
                  memory: {enabled: true, interval: 30s}
                  disk: {enabled: true, interval: 1m}
                  network: {enabled: false, interval: 30s}
                agent_defaults:
                  health_check: {interval: 1s, heartbeat_timeout: 0s, cpu_threshold: 80, memory_threshold: 512}
                  restart: {policy: always, max_retries: 5, backoff_base: 10s, backoff_max: 1m}
                  log: {max_size: 10, max_files: 3, compress: true}
                agents:
                  - id: sleeper-one
                    type: custom
                    name: Sleeper one
                    binary_path: /bin/sh
                    args: ["-c", "sleep 100000"]
                    env: {IMPORTED: "yes-it-is"}
                    enabled: true
                  - id: sleeper.two
                    type: custom
                    binary_path: /bin/sh
                    args: ["-c", "sleep 100000"]
                    enabled: true
                    restart: {policy: on-failure}
                  - id: ../escape
                    binary_path: /bin/sh
                    args: ["-c", "sleep 100000"]
                    enabled: true
                update: {enabled: true, url: "https://updates.example.net/daemon"}
                pprof: {enabled: false, port: 6060}
                max_procs: 2
                """.formatted(node.grpcPort, node.httpPort));

            NodeProcess.Result imported = NodeProcess.run(node.home, "import-config", yaml.toString(), "--out",
                node.home.resolve("runtime-config").toString());
            assertEquals(0, imported.exitCode(), imported.output());
            assertTrue(imported.output().contains("warning: update.url is not carried over: opsd has no self-update"),
                imported.output());
            assertTrue(imported.output().contains("warning: agents[2].id = ../escape is not an agent id"),
                imported.output());
            assertTrue(imported.output().contains("imported 2 agent(s): sleeper-one, sleeper.two"), imported.output());
            assertTrue(Files.readString(node.configFile("org.apache.felix.http.cfg"))
                .contains("org.osgi.service.http.port = " + node.httpPort));
            assertTrue(Files.readString(node.configFile("io.opsd.grpc.server.cfg")).contains("port = " + node.grpcPort));
            assertFalse(Files.exists(node.configFile("io.opsd.agent-..escape.cfg")));

            node.start();
            node.awaitReady();
            long one = awaitRunning(node, "sleeper-one");
            awaitRunning(node, "sleeper.two");

            NodeProcess.Response ready = node.get("/ready");
            assertEquals(200, ready.status(), ready.body());
            JsonNode body = ready.json();
            assertTrue(body.get("rejected").isArray() && body.get("rejected").isEmpty(), ready.body());
            assertTrue(body.get("not_ready").isEmpty(), ready.body());

            assertEquals("imported-gw-1", Files.readString(node.dataFile("node_id")).strip());
            String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(one), "environ")),
                StandardCharsets.ISO_8859_1);
            assertTrue(List.of(environ.split("\0")).contains("IMPORTED=yes-it-is"), "env is carried over");
            String cmdline = Files.readString(Path.of("/proc", Long.toString(one), "cmdline"), StandardCharsets.ISO_8859_1);
            assertEquals(List.of("/bin/sh", "-c", "sleep 100000"), List.of(cmdline.split("\0")), "args are carried over");

            assertEquals(0, node.terminate(Duration.ofSeconds(40)));
        }
    }

    private static long awaitRunning(NodeProcess node, String id) {
        NodeProcess.await(LIMIT, () -> "running".equals(field(node, id, "status"))
            && Long.parseLong(field(node, id, "pid")) > 0, () -> id + " " + state(node, id));
        return Long.parseLong(field(node, id, "pid"));
    }

    private static String field(NodeProcess node, String id, String name) {
        JsonNode n = state(node, id).get(name);
        return n == null ? "" : n.asText();
    }

    private static JsonNode state(NodeProcess node, String id) {
        try {
            return JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json")));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
