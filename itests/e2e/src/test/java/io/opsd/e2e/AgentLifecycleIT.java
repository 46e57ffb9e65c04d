package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Agents supervised by the real opsd.jar, observed through the files an operator sees. */
class AgentLifecycleIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void afterKill9AnAgentThatKeepsRunningIsAdoptedAndTheOthersDieWithOpsd() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("adopt")) {
            agent(node, "keeper", "/bin/sh", "-c \"sleep 100000\"", "keep_running_on_exit = true");
            agent(node, "goner", "/bin/sh", "-c \"sleep 100000\"", "");
            long keeper = 0;
            try {
                node.start();
                node.awaitReady();
                keeper = node.awaitAgentRunning("keeper", LIMIT);
                long goner = node.awaitAgentRunning("goner", LIMIT);

                node.process().destroyForcibly(); // SIGKILL: no stop logic runs
                assertTrue(node.process().waitFor(30, TimeUnit.SECONDS));
                long gonerPid = goner;
                NodeProcess.await(LIMIT, () -> !LiveProcesses.alive(gonerPid),
                    () -> "goner " + gonerPid + " outlived opsd");
                assertTrue(LiveProcesses.alive(keeper), "keep_running_on_exit: the agent survives opsd");

                node.start();
                node.awaitReady();
                long keeperPid = keeper;
                NodeProcess.await(LIMIT, () -> "running".equals(node.agentState("keeper").path("status").asText())
                    && keeperPid == node.agentState("keeper").path("pid").asLong(),
                    () -> "keeper state " + node.agentState("keeper"));
                assertEquals(List.of(keeper), leaders(node, "keeper"), "adopted, not started twice");
                long oldGoner = goner;
                // until the new node writes it, the file still holds the pid from before the kill
                NodeProcess.await(LIMIT, () -> "running".equals(node.agentState("goner").path("status").asText())
                    && node.agentState("goner").path("pid").asLong() != oldGoner,
                    () -> "goner " + node.agentState("goner"));
                long newGoner = node.agentState("goner").path("pid").asLong();
                assertEquals(List.of(newGoner), leaders(node, "goner"), "the other agent was started anew, once");
                assertTrue(node.output().contains("agent keeper: adopted the running process " + keeper),
                    node.output());
            } finally {
                node.close();
                if (keeper > 0) {
                    ProcessHandle.of(keeper).ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
                }
            }
        }
    }

    @Test
    void anAgentAnOperatorStoppedStaysStoppedWhenTheDaemonStartsAgain() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("desired")) {
            agent(node, "held", "/bin/sh", "-c \"sleep 100000\"", "");
            node.start();
            node.awaitReady();
            node.awaitAgentRunning("held", LIMIT);
            assertEquals(0, node.terminate(Duration.ofSeconds(10)));
            // what a manual stop leaves on disk (the in-framework AgentIT checks a stop writes exactly this)
            Path state = node.dataFile("agents/held.json");
            Files.writeString(state, Files.readString(state).replace("\"desired_state\":\"running\"",
                "\"desired_state\":\"stopped\""));

            long revision = node.agentState("held").get("revision").asLong();

            node.start();
            node.awaitReady();
            // the new supervisor has decided once it has written the agent's state (a higher revision)
            NodeProcess.await(LIMIT, () -> node.agentState("held").path("revision").asLong() > revision,
                () -> "held " + node.agentState("held"));
            assertEquals("stopped", node.agentState("held").path("status").asText());
            assertEquals("stopped", node.agentState("held").path("desired_state").asText());
            assertEquals(List.of(), leaders(node, "held"), "not started");
        }
    }

    @Test
    void debiansNodeExporterRunsHealthyUnderTheNodeExporterTypeAndLeavesNothingWhenRemoved() throws Exception {
        Path binary = Path.of("/usr/bin/prometheus-node-exporter");
        assumeTrue(Files.isExecutable(binary), "Debian's prometheus-node-exporter is not installed; .ci/run installs it");
        try (NodeProcess node = NodeProcess.newHome("node-exporter")) {
            int port = NodeProcess.freePort();
            Path cfg = agent(node, "node-exporter", binary.toString(), "--collector.disable-defaults --collector.loadavg",
                "type = node_exporter\nnode_exporter.listen_address = 127.0.0.1:" + port);
            node.start();
            node.awaitReady();
            long pid = node.awaitAgentRunning("node-exporter", LIMIT);
            NodeProcess.await(LIMIT, () -> "healthy".equals(node.agentState("node-exporter").path("health").asText()),
                () -> "node-exporter " + node.agentState("node-exporter"));
            assertTrue(Files.readString(node.home.resolve("logs/agents/node-exporter/agent.log"))
                .contains("Listening on"), "its output is captured");

            Files.delete(cfg);
            NodeProcess.await(LIMIT, () -> !LiveProcesses.alive(pid), () -> "node_exporter " + pid + " still runs");
            NodeProcess.await(LIMIT, () -> leaders(node, "node-exporter").isEmpty(), () -> "a process is left");
            NodeProcess.await(LIMIT, () -> !Files.exists(node.dataFile("agents/node-exporter.json")),
                () -> "its state is still kept");
        }
    }

    private static Path agent(NodeProcess node, String id, String binary, String args, String more)
        throws IOException {
        Path cfg = node.configFile("io.opsd.agent-" + id + ".cfg");
        String type = more.contains("type =") ? "" : "type = custom\n";
        Files.writeString(cfg, type + "binary_path = " + binary + "\nargs = " + args
            + "\nhealth.interval = 1s\nhealth.heartbeat_timeout = disabled\n" + more + "\n");
        return cfg;
    }

    /** Session leaders started for this agent id (opsd puts OPSD_AGENT_ID in the agent's environment). */
    /** The session leaders of {@code node}'s agent {@code id}: other nodes on this machine may run the same id. */
    private static List<Long> leaders(NodeProcess node, String id) {
        return LiveProcesses.all().stream().filter(p -> p.sessionLeader()).filter(p -> {
            List<String> env = p.environment();
            return env.contains("OPSD_AGENT_ID=" + id)
                && env.stream().anyMatch(e -> e.startsWith("HOME=" + node.home.toAbsolutePath().normalize() + "/"));
        }).map(LiveProcesses.Proc::pid).toList();
    }
}
