package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ListAgentsResponse;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.ManagerServiceGrpc;
import io.opsd.grpc.manager.MetricData;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.ReportMetricsRequest;

/**
 * Smoke test of the Manager simulator's fat jar as a separate process, driven by a grpc-java client; no opsd node
 * involved. The callback dials a target name, which only works when the jar kept grpc's merged META-INF/services.
 */
class ManagerSimulatorIT {

    private static final long CALL_SECONDS = 10;

    @Test
    void theSimulatorRecordsCallsFailsOnDemandAndCallsANodeBack() throws Exception {
        Server node = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                InsecureServerCredentials.create())
            .addService(new OneAgentNode()).build().start();
        try (ManagerSimulatorProcess manager = ManagerSimulatorProcess.start()) {
            ManagedChannel channel = channelTo(manager);
            try {
                ManagerServiceGrpc.ManagerServiceBlockingStub stub = managerStub(channel);
                assertTrue(stub.registerNode(RegisterNodeRequest.newBuilder().setNodeId("n1").setIp("127.0.0.1")
                    .putLabels("opsd.grpc_port", Integer.toString(node.getPort())).build()).getSuccess());
                assertTrue(stub.heartbeat(HeartbeatRequest.newBuilder().setNodeId("n1").setTimestamp(1).build())
                    .getSuccess());
                assertTrue(stub.reportMetrics(ReportMetricsRequest.newBuilder().setNodeId("n1")
                    .addMetrics(MetricData.newBuilder().setType("cpu").putValues("usage_percent", 3.5)).build())
                    .getSuccess());
                assertTrue(DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
                        .addStates(AgentState.newBuilder().setAgentId("a1").setStatus("running").setPid(7)).build())
                    .getSuccess());

                List<JsonNode> calls = manager.calls(null);
                assertEquals(List.of("RegisterNode", "Heartbeat", "ReportMetrics", "SyncAgentStates"),
                    calls.stream().map(c -> c.get("rpc").asText()).toList());
                assertEquals("n1", manager.calls("RegisterNode").get(0).get("request").get("node_id").asText());
                assertEquals("running", manager.states().get(0).get("status").asText());

                manager.mode("Heartbeat", "unavailable");
                StatusRuntimeException down = assertThrows(StatusRuntimeException.class,
                    () -> managerStub(channel).heartbeat(HeartbeatRequest.newBuilder().setNodeId("n1").build()));
                assertEquals(Status.Code.UNAVAILABLE, down.getStatus().getCode());
                assertEquals(2, manager.awaitCalls("Heartbeat", 2, Duration.ofSeconds(10)).size());

                JsonNode listed = manager.callback("n1", "ListAgents");
                assertTrue(listed.get("ok").asBoolean(), listed.toString());
                assertEquals("a1", listed.get("response").get("agents").get(0).get("id").asText());
                JsonNode unimplemented = manager.callback("n1", "OperateAgent", "a1", "restart");
                assertFalse(unimplemented.get("ok").asBoolean());
                assertEquals("UNIMPLEMENTED", unimplemented.get("code").asText());

                manager.kill();
                assertFalse(manager.process().isAlive());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            node.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestartOnTheSamePortStartsEmptyAndSigtermEndsIt() throws Exception {
        try (ManagerSimulatorProcess manager = ManagerSimulatorProcess.start()) {
            ManagedChannel channel = channelTo(manager);
            try {
                managerStub(channel).registerNode(RegisterNodeRequest.newBuilder().setNodeId("n1").build());
                int port = manager.grpcPort();

                manager.restartOnSamePort();

                assertEquals(port, manager.grpcPort());
                assertEquals(0, manager.nodes().size(), "a restarted Manager remembers nothing");
                // the same channel reconnects, as a node's does when its Manager comes back
                assertTrue(managerStub(channel).withWaitForReady().registerNode(
                    RegisterNodeRequest.newBuilder().setNodeId("n1").build()).getSuccess());
                assertEquals(1, manager.calls("RegisterNode").size());

                assertEquals(143, manager.stop(), "SIGTERM ends the simulator like any JVM: 128 + 15");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static ManagedChannel channelTo(ManagerSimulatorProcess manager) {
        return Grpc.newChannelBuilder(manager.address(), InsecureChannelCredentials.create()).build();
    }

    private static ManagerServiceGrpc.ManagerServiceBlockingStub managerStub(ManagedChannel channel) {
        return ManagerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /** Plays a node with one agent; OperateAgent stays UNIMPLEMENTED. */
    private static final class OneAgentNode extends DaemonServiceGrpc.DaemonServiceImplBase {
        @Override
        public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
            response.onNext(ListAgentsResponse.newBuilder()
                .addAgents(AgentInfo.newBuilder().setId("a1").setStatus("running")).build());
            response.onCompleted();
        }
    }
}
