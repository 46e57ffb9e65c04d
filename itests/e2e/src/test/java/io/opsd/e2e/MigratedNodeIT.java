package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 17, acceptance 1: a node converted from the old daemon's {@code daemon.yaml} by {@code import-config}
 * behaves for its Manager and its agents as the old daemon did. Three agents that send no heartbeats (a filebeat, a
 * node_exporter and a custom one, each over a memory threshold the old daemon never enforced) run for
 * {@code opsd.e2e.migration.seconds} (30 in {@code mvn verify}; the run is 300) without a restart, and a
 * Manager simulator, dialling the address and port the node registered, without TLS or token as the old Manager
 * did, lists and operates them.
 */
class MigratedNodeIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("opsd.e2e.migration.seconds", 30));
    /** A loopback address other than 127.0.0.1: reached only by a server that listens on every interface. */
    private static final String NODE_ADDRESS = "127.0.0.2";
    private static final List<String> AGENTS = List.of("filebeat", "node-exporter", "probe");

    @Test
    void aConvertedNodeKeepsItsAgentsRunningAndTheOldManagerOperatesThem() throws Exception {
        try (ManagerSimulatorProcess manager = ManagerSimulatorProcess.start();
             NodeProcess node = NodeProcess.newHome("migrated")) {
            Path old = Files.createDirectories(node.home.resolve("old-daemon"));
            Path agent = script(node.home.resolve("agent.sh"));
            Path probeConfig = Files.writeString(node.home.resolve("probe.conf"), "interval=1s\n");
            Path yaml = Files.writeString(node.home.resolve("daemon.yaml"), """
                daemon:
                  id: migrated-gw-1
                  work_dir: %s
                  grpc_port: %d
                  http_port: %d
                manager:
                  address: manager.example.net:9090
                  heartbeat_interval: 1s
                agent_defaults:
                  health_check: {interval: 1s, heartbeat_timeout: 3s, cpu_threshold: 1, memory_threshold: 1048576}
                  restart: {policy: always, max_retries: 2, backoff_base: 1s, backoff_max: 2s}
                agents:
                  - id: filebeat
                    type: filebeat
                    binary_path: %s
                    config_file: /etc/filebeat/filebeat.yml
                    enabled: true
                  - id: node-exporter
                    type: node_exporter
                    binary_path: %s
                    enabled: true
                  - id: probe
                    type: custom
                    binary_path: %s
                    config_file: %s
                    args: ["--label", "two words"]
                    enabled: true
                """.formatted(old, node.grpcPort, node.httpPort, agent, agent, agent,
                probeConfig));

            NodeProcess.Result imported = NodeProcess.run(node.home, "import-config", yaml.toString(), "--out",
                node.home.resolve("runtime-config").toString());
            assertEquals(0, imported.exitCode(), imported.output());
            // The only changes a test makes, since it may reach loopback only: the Manager "elsewhere" is the simulator
            // on loopback, and the node registers a loopback address other than 127.0.0.1, where a gRPC server on
            // 127.0.0.1 alone would not be reached
            Path managerCfg = node.configFile("io.opsd.manager.cfg");
            Files.writeString(managerCfg, Files.readString(managerCfg).replace("address = manager.example.net:9090",
                "address = " + manager.address()));
            assertTrue(Files.readString(managerCfg).contains("address = " + manager.address()), "the Manager moved");
            Path nodeCfg = node.configFile("io.opsd.node.cfg");
            Files.writeString(nodeCfg, Files.readString(nodeCfg) + "\nadvertise_address = " + NODE_ADDRESS + "\n");
            for (String id : AGENTS) {
                // were the old daemon's unenforced checks enforced, a threshold would fire within seconds
                Path cfg = node.configFile("io.opsd.agent-" + id + ".cfg");
                Files.writeString(cfg, Files.readString(cfg) + "\nhealth.threshold_duration = 2s\n");
            }

            node.environment("OPSD_E2E_OLD_DAEMON_ENV", "kept").start();
            node.awaitReady();
            Map<String, Long> pids = new LinkedHashMap<>();
            for (String id : AGENTS) {
                pids.put(id, node.awaitAgentRunning(id, LIMIT));
            }
            assertFalse(node.output().contains("the Manager calls this node back"), node.output());

            // the custom agent got -config <config_file> before its own arguments, and the old daemon's environment
            List<String> cmdline = List.of(Files.readString(Path.of("/proc", pids.get("probe").toString(), "cmdline"),
                StandardCharsets.ISO_8859_1).split("\0"));
            assertEquals(List.of("/bin/sh", agent.toString(), "-config", probeConfig.toString(), "--label", "two words"),
                cmdline);
            String environ = new String(Files.readAllBytes(Path.of("/proc", pids.get("probe").toString(), "environ")),
                StandardCharsets.ISO_8859_1);
            assertTrue(List.of(environ.split("\0")).contains("OPSD_E2E_OLD_DAEMON_ENV=kept"), "opsd's environment");
            // the old default work_dir, where filebeat keeps its registry
            assertEquals(old.resolve("agents/filebeat").toString(),
                Files.readSymbolicLink(Path.of("/proc", pids.get("filebeat").toString(), "cwd")).toString());

            // the old Manager: dials the registered address and port, plaintext, no token
            String nodeId = "migrated-gw-1";
            NodeProcess.await(LIMIT, () -> registered(manager, nodeId), () -> "the node never registered");
            JsonNode registration = manager.calls("RegisterNode").stream().map(c -> c.get("request"))
                .filter(r -> r.path("labels").has("opsd.grpc_port")).reduce((a, b) -> b).orElseThrow();
            assertEquals(NODE_ADDRESS, registration.get("ip").asText(), registration.toString());
            assertEquals(String.valueOf(node.grpcPort), registration.get("labels").get("opsd.grpc_port").asText());

            long end = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() - end < 0) {
                assertListed(manager, nodeId, pids);
                LockSupport.parkNanos(Duration.ofSeconds(5).toNanos()); // the Manager's polling pace
            }
            for (String id : AGENTS) {
                JsonNode state = node.agentState(id);
                assertEquals("running", state.get("status").asText(), id + " " + state);
                assertEquals(0, state.get("restart_count").asInt(), id + " was restarted: " + state);
                assertEquals(pids.get(id).longValue(), state.get("pid").asLong(), id + " " + state);
            }

            JsonNode restarted = manager.callback(nodeId, "OperateAgent", "probe", "restart");
            assertTrue(restarted.path("ok").asBoolean(), restarted.toString());
            assertTrue(restarted.path("response").path("success").asBoolean(), restarted.toString());
            NodeProcess.await(LIMIT, () -> {
                JsonNode s = node.agentState("probe");
                return "running".equals(s.path("status").asText()) && s.path("pid").asLong() != pids.get("probe");
            }, () -> "probe was not restarted by the Manager: " + node.agentState("probe"));
            assertEquals(0, node.terminate(Duration.ofSeconds(40)));
        }
    }

    /** Every agent listed by ListAgents over the callback, running with the PID it started with. */
    private static void assertListed(ManagerSimulatorProcess manager, String nodeId, Map<String, Long> pids)
        throws IOException, InterruptedException {
        JsonNode listed = manager.callback(nodeId, "ListAgents");
        assertTrue(listed.path("ok").asBoolean(), "the Manager cannot call the node back: " + listed);
        Map<String, Long> seen = new LinkedHashMap<>();
        for (JsonNode a : listed.path("response").path("agents")) {
            assertEquals("running", a.path("status").asText(), a.toString());
            seen.put(a.path("id").asText(), a.path("pid").asLong());
        }
        assertEquals(pids, seen, listed.toString());
    }

    private static boolean registered(ManagerSimulatorProcess manager, String nodeId) {
        try {
            return manager.calls("RegisterNode").stream().map(c -> c.get("request"))
                .anyMatch(r -> nodeId.equals(r.path("node_id").asText()) && r.path("labels").has("opsd.grpc_port"));
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** An agent that sends no heartbeat, ignores its arguments (kept in its command line), and stops on SIGTERM. */
    private static Path script(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nsleep 100000 &\nwait\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

}
