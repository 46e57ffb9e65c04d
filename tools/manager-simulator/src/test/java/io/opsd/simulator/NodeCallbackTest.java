package io.opsd.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.AgentOperationResponse;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ListAgentsResponse;
import io.opsd.grpc.manager.RegisterNodeRequest;

/** POST /callback against a tiny DaemonService that plays the node, on a free loopback port. */
class NodeCallbackTest {

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private Server node;

    @BeforeEach
    void startNode() throws IOException {
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata md,
                ServerCallHandler<Q, R> next) {
                authorizations.add(String.valueOf(md.get(RecordingInterceptor.AUTHORIZATION)));
                return next.startCall(call, md);
            }
        };
        node = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(new OneAgentNode(), headers))
            .build().start();
    }

    @AfterEach
    void stopNode() throws InterruptedException {
        node.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallbackReachesTheNodeOnThePortOfItsRegistrationLabel() throws Exception {
        try (RunningSimulator sim = RunningSimulator.start(SimulatorOptions.defaults().withPort(0)
            .withNodeToken("node-secret"))) {
            sim.manager().registerNode(registration("n1", Integer.toString(node.getPort())));

            JsonObject listed = sim.callback("{\"node_id\":\"n1\",\"rpc\":\"ListAgents\"}");
            assertTrue(listed.get("ok").getAsBoolean(), listed.toString());
            assertEquals("127.0.0.1:" + node.getPort(), listed.get("target").getAsString());
            JsonObject agent = listed.getAsJsonObject("response").getAsJsonArray("agents").get(0).getAsJsonObject();
            assertEquals("a1", agent.get("id").getAsString());
            assertEquals(4242, agent.get("pid").getAsInt());

            JsonObject restarted = sim.callback(
                "{\"node_id\":\"n1\",\"rpc\":\"OperateAgent\",\"agent_id\":\"a1\",\"operation\":\"restart\"}");
            assertTrue(restarted.getAsJsonObject("response").get("success").getAsBoolean(), restarted.toString());

            JsonObject missing = sim.callback(
                "{\"node_id\":\"n1\",\"rpc\":\"OperateAgent\",\"agent_id\":\"x\",\"operation\":\"restart\"}");
            assertFalse(missing.get("ok").getAsBoolean());
            assertEquals("NOT_FOUND", missing.get("code").getAsString());
            assertEquals("agent not found: x", missing.get("description").getAsString());

            assertEquals(List.of("Bearer node-secret"), authorizations.stream().distinct().toList());
        }
    }

    @Test
    void aNodeWithoutThePortLabelIsCalledOnTheManagersFixedPort() throws Exception {
        try (RunningSimulator sim = RunningSimulator.start()) {
            sim.manager().registerNode(registration("n2", null));

            JsonObject outcome = sim.callback("{\"node_id\":\"n2\",\"rpc\":\"ListAgents\"}");

            assertEquals("127.0.0.1:" + RegisteredNode.DEFAULT_DAEMON_PORT, outcome.get("target").getAsString());
        }
    }

    @Test
    void aNodeThatNeverRegisteredAnIpCannotBeCalledBack() throws Exception {
        try (RunningSimulator sim = RunningSimulator.start()) {
            sim.manager().heartbeat(ManagerSimulatorTest.heartbeat("ghost", 1));

            assertEquals(409, sim.post("/callback", "{\"node_id\":\"ghost\",\"rpc\":\"ListAgents\"}").statusCode());
        }
    }

    private static RegisterNodeRequest registration(String nodeId, String grpcPort) {
        RegisterNodeRequest.Builder request = RegisterNodeRequest.newBuilder().setNodeId(nodeId).setIp("127.0.0.1");
        if (grpcPort != null) {
            request.putLabels(RegisteredNode.GRPC_PORT_LABEL, grpcPort);
        }
        return request.build();
    }

    /** A node with one agent, a1. */
    private static final class OneAgentNode extends DaemonServiceGrpc.DaemonServiceImplBase {
        @Override
        public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
            response.onNext(ListAgentsResponse.newBuilder().addAgents(AgentInfo.newBuilder().setId("a1")
                .setType("custom").setStatus("running").setPid(4242)).build());
            response.onCompleted();
        }

        @Override
        public void operateAgent(AgentOperationRequest request, StreamObserver<AgentOperationResponse> response) {
            if (!request.getAgentId().equals("a1")) {
                response.onError(Status.NOT_FOUND.withDescription("agent not found: " + request.getAgentId())
                    .asRuntimeException());
                return;
            }
            response.onNext(AgentOperationResponse.newBuilder().setSuccess(true).build());
            response.onCompleted();
        }
    }
}
