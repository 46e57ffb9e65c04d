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
