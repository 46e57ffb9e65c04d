package io.opsd.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.HeartbeatResponse;
import io.opsd.grpc.manager.ManagerServiceGrpc;
import io.opsd.grpc.manager.MetricData;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.RegisterNodeResponse;
import io.opsd.grpc.manager.ReportMetricsRequest;
import io.opsd.grpc.manager.ReportMetricsResponse;
import io.opsd.testing.Await;

/** The simulator in this JVM, driven by a real grpc-java client and its control endpoint over loopback. */
class ManagerSimulatorTest {

    private RunningSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim = RunningSimulator.start();
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
    }

    @Test
    void everyCallIsRecordedInOrderWithItsRequestPeerAndTime() throws Exception {
        long before = System.currentTimeMillis();
        RegisterNodeResponse registered = sim.manager().registerNode(register("n1"));
        HeartbeatResponse heartbeat = sim.manager().heartbeat(heartbeat("n1", 1_700_000_000L));
        ReportMetricsResponse metrics = sim.manager().reportMetrics(ReportMetricsRequest.newBuilder().setNodeId("n1")
            .addMetrics(MetricData.newBuilder().setType("cpu").setTimestamp(1_700_000_001L)
                .putValues("usage_percent", 12.5)).build());
        SyncAgentStatesResponse synced = sim.daemon().syncAgentStates(
            SyncAgentStatesRequest.newBuilder().setNodeId("n1").build());
        long after = System.currentTimeMillis();

        assertTrue(registered.getSuccess(), registered.getMessage());
        assertEquals("node registered successfully", registered.getMessage());
        assertTrue(heartbeat.getSuccess(), heartbeat.getMessage());
        assertEquals("received 1 metrics", metrics.getMessage());
        assertEquals("synced 0 agent states (empty list)", synced.getMessage());

        JsonArray calls = sim.calls("");
        assertEquals(List.of("RegisterNode", "Heartbeat", "ReportMetrics", "SyncAgentStates"), rpcs(calls));
        for (int i = 0; i < calls.size(); i++) {
            JsonObject call = calls.get(i).getAsJsonObject();
            assertEquals(i, call.get("index").getAsLong());
            long at = call.get("received_at_ms").getAsLong();
            assertTrue(at >= before && at <= after, "received_at_ms " + at + " outside [" + before + ", " + after + "]");
            assertTrue(call.get("peer").getAsString().startsWith("127.0.0.1:"), call.toString());
            assertFalse(call.get("authorization").getAsBoolean());
            assertEquals("ok", call.get("mode").getAsString());
            assertEquals("n1", call.getAsJsonObject("request").get("node_id").getAsString());
        }
        assertEquals("manager.ManagerService", calls.get(0).getAsJsonObject().get("service").getAsString());
        assertEquals("proto.DaemonService", calls.get(3).getAsJsonObject().get("service").getAsString());
        JsonObject registration = calls.get(0).getAsJsonObject().getAsJsonObject("request");
        assertEquals("test", registration.getAsJsonObject("labels").get("env").getAsString());
        assertEquals("127.0.0.1", registration.get("ip").getAsString());
        assertEquals(12.5, calls.get(2).getAsJsonObject().getAsJsonObject("request").getAsJsonArray("metrics").get(0)
            .getAsJsonObject().getAsJsonObject("values").get("usage_percent").getAsDouble());

        assertEquals(List.of("Heartbeat"), rpcs(sim.calls("?rpc=Heartbeat")));
        assertEquals(List.of("ReportMetrics", "SyncAgentStates"), rpcs(sim.calls("?since=2")));

        JsonObject node = sim.get("/nodes").getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("n1", node.get("node_id").getAsString());
        assertEquals("127.0.0.1", node.get("ip").getAsString());
        assertEquals(1_700_000_000L, node.get("last_heartbeat_timestamp").getAsLong());
        assertTrue(node.get("last_heartbeat_ms").getAsLong() >= before);

        assertEquals(200, sim.post("/reset", "").statusCode());
        assertEquals(0, sim.calls("").size());
        sim.manager().heartbeat(heartbeat("n1", 1_700_000_002L));
        assertEquals(4, sim.calls("").get(0).getAsJsonObject().get("index").getAsLong(), "indexes go on after a reset");
        assertEquals(1, sim.get("/nodes").getAsJsonArray().size(), "a plain reset keeps the nodes");
    }

    @Test
    void aHeartbeatFromAnUnknownNodeRegistersItWithUnknownFields() throws Exception {
        assertTrue(sim.manager().heartbeat(heartbeat("stranger", 5)).getSuccess());

        JsonObject node = sim.get("/nodes").getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("stranger", node.get("node_id").getAsString());
        assertEquals("unknown", node.get("hostname").getAsString());
        assertEquals("unknown", node.get("ip").getAsString());
        assertTrue(node.get("auto_registered").getAsBoolean());
    }

    @Test
    void unavailableModeAnswersUnavailableForThatRpcOnly() throws Exception {
        sim.mode("Heartbeat", "unavailable");

        assertEquals(Status.Code.UNAVAILABLE, codeOf(() -> sim.manager().heartbeat(heartbeat("n1", 1))));
        assertTrue(sim.manager().registerNode(register("n1")).getSuccess());

        sim.mode("*", "unavailable");
        assertEquals(Status.Code.UNAVAILABLE, codeOf(() -> sim.manager().registerNode(register("n1"))));
        assertEquals(Status.Code.UNAVAILABLE, codeOf(() -> sim.daemon().syncAgentStates(
            SyncAgentStatesRequest.newBuilder().setNodeId("n1").build())));
        assertEquals("unavailable", sim.calls("?rpc=Heartbeat").get(0).getAsJsonObject().get("mode").getAsString());

        sim.mode("*", "ok");
        assertTrue(sim.manager().heartbeat(heartbeat("n1", 2)).getSuccess());
    }

    @Test
    void stallModeHoldsTheCallUntilTheClientDeadline() throws Exception {
        sim.manager().registerNode(register("n1")); // connected first: the deadline below is for the answer only
        sim.mode("ReportMetrics", "stall");

        ManagerServiceGrpc.ManagerServiceBlockingStub shortDeadline =
            ManagerServiceGrpc.newBlockingStub(sim.channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        assertEquals(Status.Code.DEADLINE_EXCEEDED,
            codeOf(() -> shortDeadline.reportMetrics(ReportMetricsRequest.newBuilder().setNodeId("n1").build())));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 250, "answered before the deadline");
        Await.until(Duration.ofSeconds(10), () -> callsOf("ReportMetrics").size() == 1, () -> callsOf("ReportMetrics"));
        assertEquals("stall", callsOf("ReportMetrics").get(0).getAsJsonObject().get("mode").getAsString());

        sim.mode("ReportMetrics", "ok");
        assertTrue(sim.manager().reportMetrics(ReportMetricsRequest.newBuilder().setNodeId("n1").build()).getSuccess());
    }

    @Test
    void unsuccessfulModeAnswersSuccessFalseWithStatusOk() throws Exception {
        sim.mode("SyncAgentStates", "unsuccessful");
        sim.mode("Heartbeat", "unsuccessful");

        SyncAgentStatesResponse sync = sim.daemon().syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .addStates(AgentState.newBuilder().setAgentId("a1").setStatus("running")).build());
        assertFalse(sync.getSuccess());
        assertTrue(sync.getMessage().contains("database error"), sync.getMessage());
        assertEquals(0, sim.get("/states").getAsJsonArray().size(), "a failed sync stores nothing");

        HeartbeatResponse heartbeat = sim.manager().heartbeat(heartbeat("n1", 1));
        assertFalse(heartbeat.getSuccess());
        assertTrue(sim.manager().registerNode(register("n1")).getSuccess(), "other RPCs stay ok");
    }

    @Test
    void unknownNodeModeForgetsTheNodesUntilTheyRegisterAgain() throws Exception {
        sim.manager().registerNode(register("n1"));
        assertTrue(sim.manager().heartbeat(heartbeat("n1", 1)).getSuccess());

        sim.mode("Heartbeat", "unknown-node");

        HeartbeatResponse refused = sim.manager().heartbeat(heartbeat("n1", 2));
        assertFalse(refused.getSuccess());
        assertEquals("node not registered", refused.getMessage());
        assertEquals(0, sim.get("/nodes").getAsJsonArray().size(), "no auto-registration in unknown-node mode");

        assertTrue(sim.manager().registerNode(register("n1")).getSuccess());
        HeartbeatResponse accepted = sim.manager().heartbeat(heartbeat("n1", 3));
        assertTrue(accepted.getSuccess(), accepted.getMessage());
    }

    @Test
    void syncAgentStatesUpsertsAndEmptyFieldsKeepTheStoredValues() throws Exception {
        SyncAgentStatesResponse first = sim.daemon().syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .addStates(AgentState.newBuilder().setAgentId("a1").setStatus("running").setPid(42).setLastHeartbeat(1000)
                .setType("filebeat").setVersion("8.1"))
            .addStates(AgentState.newBuilder().setAgentId("a2").setStatus("stopped"))
            .build());
        assertTrue(first.getSuccess());
        assertEquals("synced 2 agent states", first.getMessage());

        sim.daemon().syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .addStates(AgentState.newBuilder().setAgentId("a1").setStatus("stopped")).build());
        JsonObject a1 = state("n1", "a1");
        assertEquals("stopped", a1.get("status").getAsString());
        assertEquals(42, a1.get("pid").getAsInt(), "pid 0 keeps the stored pid");
        assertEquals(1000, a1.get("last_heartbeat").getAsLong());
        assertEquals("filebeat", a1.get("type").getAsString());
        assertEquals("8.1", a1.get("version").getAsString());

        sim.daemon().syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .addStates(AgentState.newBuilder().setAgentId("a1").setPid(43).setLastHeartbeat(2000).setVersion("8.2"))
            .build());
        a1 = state("n1", "a1");
        assertEquals("stopped", a1.get("status").getAsString(), "an empty status keeps the stored one");
        assertEquals(43, a1.get("pid").getAsInt());
        assertEquals(2000, a1.get("last_heartbeat").getAsLong());
        assertEquals("8.2", a1.get("version").getAsString());
        assertEquals("stopped", state("n1", "a2").get("status").getAsString());

        assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> sim.daemon().syncAgentStates(
            SyncAgentStatesRequest.newBuilder().addStates(AgentState.newBuilder().setAgentId("a1")).build())));
    }

    @Test
    void theOtherDaemonServiceRpcsStayUnimplemented() throws Exception {
        assertEquals(Status.Code.UNIMPLEMENTED,
            codeOf(() -> sim.daemon().listAgents(ListAgentsRequest.getDefaultInstance())));
        JsonObject call = sim.calls("?rpc=ListAgents").get(0).getAsJsonObject();
        assertTrue(call.get("mode").isJsonNull(), call.toString());
    }

    @Test
    void theControlEndpointRejectsBadRequestsWithAMessage() throws Exception {
        assertEquals(400, sim.post("/mode", "{\"rpc\":\"Heartbeat\",\"mode\":\"sleepy\"}").statusCode());
        assertEquals(400, sim.post("/mode", "{\"rpc\":\"Heartbeats\",\"mode\":\"ok\"}").statusCode());
        assertEquals(400, sim.post("/mode", "not json").statusCode());
        assertEquals(400, sim.post("/callback", "{\"rpc\":\"ListAgents\"}").statusCode());
        assertEquals(404, sim.post("/callback", "{\"node_id\":\"nobody\",\"rpc\":\"ListAgents\"}").statusCode());
        assertEquals(405, sim.post("/calls", "").statusCode());
        JsonObject modes = sim.get("/mode").getAsJsonObject();
        assertEquals("ok", modes.get("Heartbeat").getAsString());
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        try (RunningSimulator guarded = RunningSimulator.start(SimulatorOptions.defaults().withPort(0)
            .withToken("s3cret"))) {
            assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> guarded.manager().heartbeat(heartbeat("n1", 1))));
            assertEquals(Status.Code.UNAUTHENTICATED,
                codeOf(() -> withToken(guarded.manager(), "wrong").heartbeat(heartbeat("n1", 2))));
            assertTrue(withToken(guarded.manager(), "s3cret").heartbeat(heartbeat("n1", 3)).getSuccess());

            JsonArray calls = guarded.calls("");
            assertEquals(3, calls.size());
            assertEquals("UNAUTHENTICATED", calls.get(0).getAsJsonObject().get("rejected").getAsString());
            assertFalse(calls.get(0).getAsJsonObject().get("authorization").getAsBoolean());
            assertTrue(calls.get(1).getAsJsonObject().get("authorization").getAsBoolean());
            assertTrue(calls.get(1).getAsJsonObject().get("request").isJsonNull());
            assertTrue(calls.get(2).getAsJsonObject().get("rejected").isJsonNull());
            assertEquals(3, calls.get(2).getAsJsonObject().getAsJsonObject("request").get("timestamp").getAsLong());
            assertFalse(calls.toString().contains("s3cret"), "the token's value is never recorded");
        }
    }

    static RegisterNodeRequest register(String nodeId) {
        return RegisterNodeRequest.newBuilder().setNodeId(nodeId).setHostname("host-" + nodeId).setIp("127.0.0.1")
            .setOs("linux").setArch("amd64").putLabels("env", "test").setDaemonVersion("0.1.0").build();
    }

    static HeartbeatRequest heartbeat(String nodeId, long timestamp) {
        return HeartbeatRequest.newBuilder().setNodeId(nodeId).setTimestamp(timestamp).build();
    }

    static Status.Code codeOf(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    static ManagerServiceGrpc.ManagerServiceBlockingStub withToken(ManagerServiceGrpc.ManagerServiceBlockingStub stub,
        String token) {
        Metadata headers = new Metadata();
        headers.put(RecordingInterceptor.AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private JsonArray callsOf(String rpc) {
        try {
            return sim.calls("?rpc=" + rpc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonObject state(String nodeId, String agentId) throws Exception {
        for (var element : sim.get("/states").getAsJsonArray()) {
            JsonObject s = element.getAsJsonObject();
            if (s.get("node_id").getAsString().equals(nodeId) && s.get("agent_id").getAsString().equals(agentId)) {
                return s;
            }
        }
        throw new AssertionError("no state for " + nodeId + "/" + agentId + " in " + sim.get("/states"));
    }

    private static List<String> rpcs(JsonArray calls) {
        return calls.asList().stream().map(c -> c.getAsJsonObject().get("rpc").getAsString()).toList();
    }
}
