package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;

/**
 * Faults around agents: the binary of a running agent is deleted and the process then dies. opsd cannot start it
 * again and says why; the node, and the other agents, go on.
 */
class AgentFaultIT {

    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAgentWhoseBinaryWasDeletedFailsWithAReasonAndNothingElseIsDisturbed() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("fault")) {
            Path bin = Files.createDirectories(node.home.resolve("bin"));
            Path sleeper = bin.resolve("sleeper");
            Files.copy(Path.of("/bin/sleep"), sleeper, StandardCopyOption.COPY_ATTRIBUTES);
            Files.writeString(node.configFile("io.opsd.agent-doomed.cfg"), "binary_path = " + sleeper + "\n"
                + "args = 100000\nhealth.heartbeat_timeout = disabled\nrestart.backoff_base = 200ms\n"
                + "restart.max_retries = 2\n");
            Files.writeString(node.configFile("io.opsd.agent-steady.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
            node.start();
            node.awaitReady();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).usePlaintext().build();
            try {
                NodeProcess.await(LIMIT, () -> pid(channel, "doomed") > 0 && pid(channel, "steady") > 0,
                    () -> "agents not running");
                long doomed = pid(channel, "doomed");
                long steady = pid(channel, "steady");

                Files.delete(sleeper);
                new ProcessBuilder("kill", "-KILL", Long.toString(doomed)).start().waitFor(10, TimeUnit.SECONDS);

                NodeProcess.await(LIMIT, () -> status(channel, "doomed").equals("failed"),
                    () -> "doomed is " + status(channel, "doomed") + "; log:\n" + tail(node));
                String log = node.log();
                assertTrue(log.contains(sleeper.toString()), "the log names the missing binary:\n" + tail(node));
                assertEquals(steady, pid(channel, "steady"), "the other agent was not touched");
                assertEquals(200, node.status("/ready"), "an agent's failure does not make the node unready");
                assertTrue(log.contains("does not exist"), "and says what is wrong with it");
                // the store writes within its flush interval
                NodeProcess.await(LIMIT, () -> {
                    try {
                        JsonNode state = JSON.readTree(Files.readString(node.dataFile("agents/doomed.json")));
                        return "failed".equals(state.path("status").asText());
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, () -> "doomed.json never said failed");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /**
     * opsd is SIGKILLed before its store wrote an agent's pid: the kernel kills the agent itself (parent-death
     * signal), but the agent's own child lives on as an orphan. The next opsd finds it by the environment it gave
     * the agent and kills it.
     */
    @Test
    void whatAnAgentLeftWhenOpsdWasKilledUnrecordedIsKilledByTheNextOpsd() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("orphan")) {
            Files.writeString(node.configFile("io.opsd.agent-parent.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000 & wait\"\nhealth.heartbeat_timeout = disabled\n");
            node.start();
            node.awaitReady();
            long[] child = new long[1];
            NodeProcess.await(LIMIT, () -> {
                child[0] = sleepChildOf(agentPid(node, "parent"));
                return child[0] > 0;
            }, () -> "the agent's child never ran; log:\n" + tail(node));

            node.process().destroyForcibly();
            assertTrue(node.process().waitFor(30, TimeUnit.SECONDS));
            NodeProcess.await(LIMIT, () -> parentOf(child[0]) == 1, () -> "the child " + child[0]
                + " was not orphaned: parent " + parentOf(child[0]));
            Files.delete(node.dataFile("agents/parent.json")); // as if the store had not written it yet

            node.start();
            node.awaitReady();
            NodeProcess.await(LIMIT, () -> !Files.exists(Path.of("/proc/" + child[0])),
                () -> "the orphan " + child[0] + " still runs; log:\n" + tail(node));
            assertTrue(node.log().contains("killing the processes of session"), tail(node));
            NodeProcess.await(LIMIT, () -> agentPid(node, "parent") > 0, () -> "the agent runs again");
        }
    }

    private static long agentPid(NodeProcess node, String id) {
        try {
            JsonNode state = JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json")));
            return "running".equals(state.path("status").asText()) ? state.path("pid").asLong() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The pid of a {@code sleep} whose parent is {@code parent}, or 0. */
    private static long sleepChildOf(long parent) {
        if (parent <= 0) {
            return 0;
        }
        return LiveProcesses.all().stream().filter(p -> p.parent() == parent && p.command().equals("sleep"))
            .mapToLong(LiveProcesses.Proc::pid).findFirst().orElse(0);
    }

    private static long parentOf(long pid) {
        return LiveProcesses.of(pid).map(LiveProcesses.Proc::parent).orElse(-1L);
    }

    private static String tail(NodeProcess node) {
        try {
            String log = node.log();
            return log.substring(Math.max(0, log.length() - 3000));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static AgentInfo info(ManagedChannel channel, String id) {
        return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
            .filter(a -> a.getId().equals(id)).findFirst().orElseThrow();
    }

    private static long pid(ManagedChannel channel, String id) {
        try {
            AgentInfo a = info(channel, id);
            return a.getStatus().equals("running") ? a.getPid() : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String status(ManagedChannel channel, String id) {
        try {
            return info(channel, id).getStatus();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
