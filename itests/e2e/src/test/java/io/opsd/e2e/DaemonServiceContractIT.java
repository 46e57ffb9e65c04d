package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.AgentMetricsResponse;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.AgentOperationResponse;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.ConfigRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.DaemonServiceGrpc.DaemonServiceBlockingStub;
import io.opsd.grpc.daemon.HeartbeatRequest;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.MetricsRequest;
import io.opsd.grpc.daemon.RegisterRequest;
import io.opsd.grpc.daemon.ResourceDataPoint;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;
import io.opsd.grpc.daemon.UpdateRequest;
import io.opsd.testing.grpc.BytesMarshaller;

/**
 * contracts.md §1.1, RPC by RPC, against a running opsd.jar with a real grpc-java client in this plain JVM over
 * loopback; and the raw bytes of a ListAgents answer read against the contract's field numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonServiceContractIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** Created in this order; ListAgents must answer in id order. */
    private static final List<String> RUNNING = List.of("gamma", "alpha", "beta");
    private static final String IDLE = "idle"; // enabled = false: configured, never started, no samples
    private static final String SAMPLED = "sampled";

    private NodeProcess node;
    private ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        node = NodeProcess.newHome("grpc");
        for (String id : RUNNING) {
            agent(id, id.equals("alpha") ? "version = 8.11.2\n" : "");
        }
        agent(IDLE, "enabled = false\n");
        agent(SAMPLED, "health.interval = 1s\n");
        node.start();
        node.awaitReady();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).usePlaintext().build();
        NodeProcess.await(LIMIT, () -> {
            try {
                return stub().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                    .filter(a -> !a.getId().equals(IDLE)).allMatch(a -> a.getStatus().equals("running"));
            } catch (StatusRuntimeException e) {
                return false;
            }
        }, () -> "agents not all running; output:\n" + node.output());
    }

    private void agent(String id, String extra) throws IOException {
        Files.writeString(node.configFile("io.opsd.agent-" + id + ".cfg"), "binary_path = /bin/sh\n"
            + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n" + extra);
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        node.close();
    }

    private DaemonServiceBlockingStub stub() {
        return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static void expectStatus(Status.Code code, String message, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        assertEquals(message, e.getStatus().getDescription());
    }

    private AgentInfo info(String id) {
        return stub().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
            .filter(a -> a.getId().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no agent " + id));
    }

    private static boolean alive(long pid) {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid));
    }

    @Test
    @Order(1)
    void listAgentsAnswersEveryAgentInIdOrderWithEveryFieldFilled() throws Exception {
        Instant before = Instant.now();
        // a heartbeat with the agent's own time, which last_heartbeat reports
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> hb = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort
            + "/heartbeat")).POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\":\"alpha\",\"pid\":7,"
            + "\"timestamp\":\"2026-11-23T10:00:00Z\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, hb.statusCode(), hb.body());
        long heartbeatSecond = Instant.parse("2026-11-23T10:00:00Z").getEpochSecond();
        NodeProcess.await(LIMIT, () -> info("alpha").getLastHeartbeat() == heartbeatSecond,
            () -> "last_heartbeat " + info("alpha"));

        List<AgentInfo> agents = stub().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList();
        assertEquals(List.of("alpha", "beta", "gamma", IDLE, SAMPLED), agents.stream().map(AgentInfo::getId).toList());
        for (AgentInfo a : agents) {
            assertEquals("custom", a.getType(), a.toString());
            if (a.getId().equals(IDLE)) {
                assertEquals("stopped", a.getStatus());
                assertEquals(0, a.getPid());
                continue;
            }
            assertEquals("running", a.getStatus(), a.toString());
            assertTrue(alive(a.getPid()), a + " is a live process");
            assertTrue(a.getStartTime() > before.minus(Duration.ofMinutes(5)).getEpochSecond()
                && a.getStartTime() <= Instant.now().getEpochSecond(), "start_time " + a);
            assertEquals(0, a.getRestartCount(), a.toString());
        }
        assertEquals(heartbeatSecond, agents.get(0).getLastHeartbeat());
        assertEquals("8.11.2", agents.get(0).getVersion(), "the configured version");
        assertEquals("", agents.get(1).getVersion(), "no version configured");
        assertEquals(0, agents.get(1).getLastHeartbeat(), "no heartbeat from beta yet");
    }

    @Test
    @Order(2)
    void theRawBytesOfListAgentsCarryTheContractsFieldNumbers() throws Exception {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("proto.DaemonService/ListAgents")
            .setRequestMarshaller(new BytesMarshaller()).setResponseMarshaller(new BytesMarshaller()).build();
        byte[] answer = ClientCalls.blockingUnaryCall(channel, raw,
            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[0]);
        List<AgentInfo> typed = stub().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList();

        List<Map<Integer, Object>> decoded = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(answer);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            assertEquals(1, WireFormat.getTagFieldNumber(tag), "ListAgentsResponse.agents is field 1");
            assertEquals(WireFormat.WIRETYPE_LENGTH_DELIMITED, WireFormat.getTagWireType(tag));
            decoded.add(agentInfo(in.readBytes().toByteArray()));
        }
        assertEquals(typed.size(), decoded.size());
        for (int i = 0; i < typed.size(); i++) {
            AgentInfo a = typed.get(i);
            Map<Integer, Object> d = decoded.get(i);
            assertEquals(a.getId(), d.get(1), "AgentInfo.id is field 1");
            assertEquals(a.getType(), d.get(2), "type is field 2");
            assertEquals(a.getVersion(), d.getOrDefault(3, ""), "version is field 3");
            assertEquals(a.getStatus(), d.get(4), "status is field 4");
            assertEquals((long) a.getPid(), d.getOrDefault(5, 0L), "pid is field 5");
            assertEquals(a.getStartTime(), d.getOrDefault(6, 0L), "start_time is field 6");
            assertEquals((long) a.getRestartCount(), d.getOrDefault(7, 0L), "restart_count is field 7");
            assertEquals(a.getLastHeartbeat(), d.getOrDefault(8, 0L), "last_heartbeat is field 8");
        }
        Map<Integer, Object> alpha = decoded.get(0);
        assertEquals("alpha", alpha.get(1));
        assertTrue((Long) alpha.get(5) > 0 && (Long) alpha.get(6) > 1_700_000_000L && (Long) alpha.get(8) > 0,
            "pid, start_time and last_heartbeat of a running agent with a heartbeat are on the wire: " + alpha);
    }

    private static Map<Integer, Object> agentInfo(byte[] bytes) throws IOException {
        Map<Integer, Object> fields = new TreeMap<>();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int number = WireFormat.getTagFieldNumber(tag);
            boolean text = number <= 4;
            assertEquals(text ? WireFormat.WIRETYPE_LENGTH_DELIMITED : WireFormat.WIRETYPE_VARINT,
                WireFormat.getTagWireType(tag), "wire type of AgentInfo field " + number);
            fields.put(number, text ? in.readStringRequireUtf8() : in.readRawVarint64());
        }
        return fields;
    }

    @Test
    @Order(3)
    void operateAgentRefusesWithTheOldCodesAndMessages() {
        expectStatus(Status.Code.INVALID_ARGUMENT, "agent_id is required", () -> stub().operateAgent(
            AgentOperationRequest.newBuilder().setOperation("start").build()));
        expectStatus(Status.Code.INVALID_ARGUMENT, "invalid operation: jump, must be one of: start, stop, restart",
            () -> stub().operateAgent(AgentOperationRequest.newBuilder().setAgentId("alpha").setOperation("jump")
                .build()));
        expectStatus(Status.Code.NOT_FOUND, "agent not found: nope", () -> stub().operateAgent(
            AgentOperationRequest.newBuilder().setAgentId("nope").setOperation("stop").build()));
    }

    @Test
    @Order(4)
    void stopAnswersOnceTheProcessIsGoneAndStartAndRestartLeaveALiveProcess() throws Exception {
        long beta = info("beta").getPid();
        AgentOperationResponse stopped = stub().operateAgent(op("beta", "stop"));
        assertTrue(stopped.getSuccess(), stopped.toString());
        assertFalse(alive(beta), "stop answered after the process " + beta + " was gone");
        assertEquals("stopped", info("beta").getStatus());

        assertTrue(stub().operateAgent(op("beta", "start")).getSuccess());
        long started = info("beta").getPid();
        long gamma = info("gamma").getPid();
        assertTrue(stub().operateAgent(op("gamma", "restart")).getSuccess());
        long restarted = info("gamma").getPid();
        assertNotEquals(gamma, restarted, "restart made a new process");
        assertFalse(alive(gamma), "the old process of gamma is gone");
        // the old daemon killed what it started as soon as the call returned: watch both for 10 s
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            assertTrue(alive(started), "beta " + started + " died after start returned");
            assertTrue(alive(restarted), "gamma " + restarted + " died after restart returned");
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        assertEquals("running", info("beta").getStatus());
        assertEquals(started, info("beta").getPid(), "still the process start made");
        assertEquals(restarted, info("gamma").getPid());
        assertEquals(0, info("gamma").getRestartCount(), "a manual restart is not an automatic one");
        // start on a running agent leaves it alone
        assertTrue(stub().operateAgent(op("beta", "start")).getSuccess());
        assertEquals(started, info("beta").getPid());
    }

    private static AgentOperationRequest op(String id, String operation) {
        return AgentOperationRequest.newBuilder().setAgentId(id).setOperation(operation).build();
    }

    @Test
    @Order(5)
    void getAgentMetricsFillsEveryFieldAndAnswersAnEmptyListForAnAgentWithoutSamples() {
        expectStatus(Status.Code.INVALID_ARGUMENT, "agent_id is required",
            () -> stub().getAgentMetrics(AgentMetricsRequest.getDefaultInstance()));
        expectStatus(Status.Code.NOT_FOUND, "agent not found: nope",
            () -> stub().getAgentMetrics(AgentMetricsRequest.newBuilder().setAgentId("nope").build()));
        AgentMetricsResponse none = stub().getAgentMetrics(AgentMetricsRequest.newBuilder().setAgentId(IDLE).build());
        assertEquals(IDLE, none.getAgentId());
        assertEquals(0, none.getDataPointsCount(), "no samples: an empty list, not INTERNAL");

        Supplier<AgentMetricsResponse> sampled = () -> stub().getAgentMetrics(AgentMetricsRequest.newBuilder()
            .setAgentId(SAMPLED).setDurationSeconds(600).build());
        NodeProcess.await(LIMIT, () -> sampled.get().getDataPointsCount() >= 3, () -> "samples " + sampled.get());
        AgentMetricsResponse r = sampled.get();
        assertEquals(SAMPLED, r.getAgentId());
        long now = Instant.now().getEpochSecond();
        long previous = 0;
        for (ResourceDataPoint p : r.getDataPointsList()) {
            assertTrue(p.getTimestamp() > now - 600 && p.getTimestamp() <= now + 1, "timestamp " + p);
            assertTrue(p.getTimestamp() >= previous, "in time order");
            previous = p.getTimestamp();
            assertTrue(p.getCpu() >= 0, p.toString());
            assertTrue(p.getMemoryRss() > 0, "memory_rss " + p);
            assertTrue(p.getMemoryVms() >= p.getMemoryRss(), "memory_vms " + p);
            assertTrue(p.getOpenFiles() > 0, "open_files " + p);
            assertTrue(p.getDiskReadBytes() >= 0 && p.getDiskWriteBytes() >= 0, p.toString());
        }
        AgentMetricsResponse defaultWindow = stub().getAgentMetrics(AgentMetricsRequest.newBuilder()
            .setAgentId(SAMPLED).setDurationSeconds(0).build());
        assertTrue(defaultWindow.getDataPointsCount() >= r.getDataPointsCount(), "0 means the last hour");
        AgentMetricsResponse tiny = stub().getAgentMetrics(AgentMetricsRequest.newBuilder()
            .setAgentId(SAMPLED).setDurationSeconds(1).build());
        assertTrue(tiny.getDataPointsCount() < defaultWindow.getDataPointsCount(), "the window applies");
    }

    @Test
    @Order(6)
    void syncAgentStatesCountsTheKnownIdsAsTheOldDaemonDid() {
        expectStatus(Status.Code.INVALID_ARGUMENT, "node_id is required",
            () -> stub().syncAgentStates(SyncAgentStatesRequest.getDefaultInstance()));
        SyncAgentStatesResponse empty = stub().syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .build());
        assertTrue(empty.getSuccess());
        assertEquals("synced 0 agent states (empty list)", empty.getMessage());
        SyncAgentStatesResponse some = stub().syncAgentStates(SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .addStates(AgentState.newBuilder().setAgentId("alpha").setStatus("running"))
            .addStates(AgentState.newBuilder().setAgentId("beta"))
            .addStates(AgentState.newBuilder().setAgentId("stranger")).build());
        assertTrue(some.getSuccess());
        assertEquals("synced 2 agent states", some.getMessage());
    }

    @Test
    @Order(7)
    void messagesUpToTheManagersTenMebibytesAreAccepted() {
        SyncAgentStatesRequest.Builder big = SyncAgentStatesRequest.newBuilder().setNodeId("n1");
        String padding = "x".repeat(1000);
        while (big.build().getSerializedSize() < 9 << 20) {
            big.addStates(AgentState.newBuilder().setAgentId("stranger").setStatus(padding));
        }
        SyncAgentStatesResponse r = stub().syncAgentStates(big.build());
        assertEquals("synced 0 agent states", r.getMessage(), "a 9 MiB request is read (the default limit is 4 MiB)");
    }

    @Test
    @Order(8)
    void theFiveRpcsTheOldDaemonLeftToItsStubsAnswerUnimplemented() {
        expectStatus(Status.Code.UNIMPLEMENTED, "method Register not implemented",
            () -> stub().register(RegisterRequest.getDefaultInstance()));
        expectStatus(Status.Code.UNIMPLEMENTED, "method Heartbeat not implemented",
            () -> stub().heartbeat(HeartbeatRequest.getDefaultInstance()));
        expectStatus(Status.Code.UNIMPLEMENTED, "method ReportMetrics not implemented",
            () -> stub().reportMetrics(MetricsRequest.getDefaultInstance()));
        expectStatus(Status.Code.UNIMPLEMENTED, "method GetConfig not implemented",
            () -> stub().getConfig(ConfigRequest.getDefaultInstance()));
        expectStatus(Status.Code.UNIMPLEMENTED, "method PushUpdate not implemented",
            () -> stub().pushUpdate(UpdateRequest.getDefaultInstance()));
    }

    @Test
    @Order(9)
    void reflectionListsTheDaemonServiceAndHealthAnswersServingPerService() throws Exception {
        BlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
                @Override
                public void onNext(ServerReflectionResponse value) {
                    answers.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    done.complete(null);
                }
            });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        ServerReflectionResponse listed = answers.poll(20, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(listed != null, "reflection answered");
        List<String> services = listed.getListServicesResponse().getServiceList().stream()
            .map(ServiceResponse::getName).toList();
        assertTrue(services.contains("proto.DaemonService"), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
        done.get(20, TimeUnit.SECONDS);

        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder().build()).getStatus());
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
            .setService("proto.DaemonService").build()).getStatus());
        expectStatus(Status.Code.NOT_FOUND, "unknown service manager.ManagerService",
            () -> HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("manager.ManagerService").build()));
    }

    @Test
    @Order(100)
    void healthTurnsNotServingWhenTheNodeStops() throws Exception {
        BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("proto.DaemonService").build(),
            new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse value) {
                    seen.add(value.getStatus());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
        assertEquals(ServingStatus.SERVING, seen.poll(20, TimeUnit.SECONDS));
        long agentPid = info("alpha").getPid();
        assertEquals(0, node.terminate(Duration.ofSeconds(20)), "SIGTERM: exit 0");
        assertEquals(ServingStatus.NOT_SERVING, seen.poll(5, TimeUnit.SECONDS),
            "a watcher is told NOT_SERVING before the server goes");
        assertFalse(alive(agentPid) && Files.readString(Path.of("/proc/" + agentPid + "/cmdline")).contains("sleep"),
            "the agents stopped with the node");
    }
}
