package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ResourceDataPoint;
import io.opsd.testing.Http;

/**
 * {@code java -jar opsd.jar import-config daemon.yaml --out <home>/runtime-config --from-node <old work_dir>}, then
 * a node started on what it wrote: the files are ones a node starts with (issue 10, acceptance 3), and the Manager
 * sees the old node's id, restart counts and resource history (issue 17).
 */
class ImportConfigIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void aNodeStartsOnTheImportedConfigurationAndRunsTheImportedAgents() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("import-config")) {
            Path oldNode = oldDaemonState(node.home.resolve("old-daemon"));
            Path socket = oldNode.resolve("run/daemon.sock");
            // the old daemon's file, on the free ports NodeProcess chose: the import carries them over
            Path yaml = Files.writeString(node.home.resolve("daemon.yaml"), """
                daemon:
                  log_level: info
                  log_file: /var/log/daemon/daemon.log
                  work_dir: %s
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
                  health_check: {interval: 1s, heartbeat_timeout: 90s, cpu_threshold: 80, memory_threshold: 524288000}
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
                    socket_path: %s
                    restart: {policy: on-failure}
                  - id: ../escape
                    binary_path: /bin/sh
                    args: ["-c", "sleep 100000"]
                    enabled: true
                update: {enabled: true, url: "https://updates.example.net/daemon"}
                pprof: {enabled: false, port: 6060}
                max_procs: 2
                """.formatted(oldNode, node.grpcPort, node.httpPort, socket));

            NodeProcess.Result imported = NodeProcess.run(node.home, "import-config", yaml.toString(), "--out",
                node.home.resolve("runtime-config").toString(), "--from-node", oldNode.toString());
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
            String agentCfg = Files.readString(node.configFile("io.opsd.agent-sleeper-one.cfg"));
            for (String line : List.of("health.heartbeat_timeout = disabled", "health.cpu_threshold = disabled",
                "# health.memory_threshold = 500MiB", "inherit_env = true", "#user = root",
                "work_dir = " + oldNode.resolve("agents/sleeper-one"))) {
                assertTrue(agentCfg.lines().anyMatch(line::equals), line + " in\n" + agentCfg);
            }
            // the old daemon's heartbeat port listened on every interface, and so does the import; this host allows
            // loopback only, so the test narrows it after checking it
            Path http = node.configFile("org.apache.felix.http.cfg");
            assertTrue(Files.readString(http).contains("\norg.apache.felix.http.host = 0.0.0.0\n"));
            Files.writeString(http, Files.readString(http).replace("org.apache.felix.http.host = 0.0.0.0",
                "org.apache.felix.http.host = 127.0.0.1"));

            node.start();
            node.awaitReady();
            long one = node.awaitAgentRunning("sleeper-one", LIMIT);
            node.awaitAgentRunning("sleeper.two", LIMIT);

            Http.Response ready = node.get("/ready");
            assertEquals(200, ready.status(), ready.body());
            JsonNode body = NodeProcess.json(ready);
            assertTrue(body.get("rejected").isArray() && body.get("rejected").isEmpty(), ready.body());
            assertTrue(body.get("not_ready").isEmpty(), ready.body());

            assertEquals(OLD_NODE_ID, Files.readString(node.dataFile("node_id")), "the old node's id, no newline");
            assertNotEquals(ProcessHandle.current().pid(), one, "the old metadata's pid is never adopted");
            NodeProcess.await(LIMIT, () -> Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(socket), () -> "no heartbeat socket at " + socket);
            managerSeesTheOldState(node);
            String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(one), "environ")),
                StandardCharsets.ISO_8859_1);
            assertTrue(List.of(environ.split("\0")).contains("IMPORTED=yes-it-is"), "env is carried over");
            String cmdline = Files.readString(Path.of("/proc", Long.toString(one), "cmdline"), StandardCharsets.ISO_8859_1);
            assertEquals(List.of("/bin/sh", "-c", "sleep 100000"), List.of(cmdline.split("\0")), "args are carried over");

            assertEquals(0, node.terminate(Duration.ofSeconds(40)));
        }
    }

    private static final String OLD_NODE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final Instant STARTED = Instant.now().minusSeconds(3_600);
    private static final Instant SAMPLE_ONE = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant SAMPLE_TWO = SAMPLE_ONE.plusSeconds(60);

    /** The old daemon's work_dir: its node_id, and the metadata of sleeper-one (contracts.md §5). */
    private static Path oldDaemonState(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("metadata"));
        Files.writeString(dir.resolve("node_id"), OLD_NODE_ID);
        Files.writeString(dir.resolve("metadata/sleeper-one.json"), """
            {"id": "sleeper-one", "type": "custom", "status": "running", "pid": %d, "start_time": "%s",
             "last_heartbeat": "0001-01-01T00:00:00Z", "restart_count": 4,
             "resource_history": [{"timestamp": "%s", "cpu": 1.5, "memory": 52428800},
                                  {"timestamp": "%s", "cpu": 2.5, "memory": 53477376}]}
            """.formatted(ProcessHandle.current().pid(), STARTED, SAMPLE_ONE, SAMPLE_TWO));
        return dir;
    }

    /** ListAgents and GetAgentMetrics, as the Manager calls them: the old restart count and history. */
    private static void managerSeesTheOldState(NodeProcess node) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).usePlaintext().build();
        try {
            var stub = DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            AgentInfo one = stub.listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                .filter(a -> a.getId().equals("sleeper-one")).findFirst().orElseThrow();
            assertEquals(4, one.getRestartCount(), "the old restart count");
            List<ResourceDataPoint> points = stub.getAgentMetrics(AgentMetricsRequest.newBuilder()
                .setAgentId("sleeper-one").setDurationSeconds(3_600).build()).getDataPointsList();
            assertTrue(points.stream().anyMatch(p -> p.getTimestamp() == SAMPLE_ONE.getEpochSecond()
                && p.getCpu() == 1.5 && p.getMemoryRss() == 52_428_800L), "the old history: " + points);
            assertTrue(points.stream().anyMatch(p -> p.getTimestamp() == SAMPLE_TWO.getEpochSecond()
                && p.getCpu() == 2.5 && p.getMemoryRss() == 53_477_376L), "the old history: " + points);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

}
