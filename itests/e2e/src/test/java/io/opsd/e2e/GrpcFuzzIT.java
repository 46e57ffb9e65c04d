package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.testing.grpc.BytesMarshaller;

/**
 * Bad input on the gRPC endpoint: random bytes as request messages for every DaemonService method, unknown
 * fields, huge repeated fields. Never INTERNAL (or UNKNOWN) for bad input, never a dead listener. Bounded in count
 * and time; the seed is in every failure message.
 */
class GrpcFuzzIT {

    private static final List<String> METHODS = List.of("Register", "Heartbeat", "ReportMetrics", "GetConfig",
        "PushUpdate", "ListAgents", "OperateAgent", "GetAgentMetrics", "SyncAgentStates");

    @Test
    void randomBytesUnknownFieldsAndHugeListsGetClearStatuses() throws Exception {
        long seed = Long.getLong("opsd.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        try (NodeProcess node = NodeProcess.newHome("grpcfuzz")) {
            Files.writeString(node.configFile("io.opsd.agent-gf.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
            node.start();
            node.awaitReady();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
            try {
                Map<String, Integer> codes = new TreeMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                for (int i = 0; i < 900 && System.nanoTime() < deadline; i++) {
                    String method = METHODS.get(i % METHODS.size());
                    byte[] bytes = new byte[random.nextInt(300)];
                    random.nextBytes(bytes);
                    Status.Code code = call(channel, method, bytes);
                    codes.merge(method + " " + code, 1, Integer::sum);
                    assertTrue(code != Status.Code.INTERNAL && code != Status.Code.UNKNOWN
                        && code != Status.Code.UNAVAILABLE, "seed " + seed + ": " + method + " with "
                        + bytes.length + " random bytes answered " + code);
                }
                // unknown fields are ignored (field 99, a string)
                byte[] unknown = {(byte) 0x9A, 0x06, 0x03, 'a', 'b', 'c'};
                assertEquals(Status.Code.OK, call(channel, "ListAgents", unknown), "unknown fields are skipped");
                // a huge repeated field within the 10 MiB limit is read; above it, a clear RESOURCE_EXHAUSTED
                SyncAgentStatesRequest.Builder big = SyncAgentStatesRequest.newBuilder().setNodeId("n");
                while (big.build().getSerializedSize() < 12 << 20) {
                    big.addStates(AgentState.newBuilder().setAgentId("x").setStatus("y".repeat(500)));
                }
                StatusRuntimeException tooBig = org.junit.jupiter.api.Assertions.assertThrows(
                    StatusRuntimeException.class, () -> DaemonServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS).syncAgentStates(big.build()));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode(), tooBig.toString());
                // and the endpoint serves on
                assertEquals(1, DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsCount());
                assertNotEquals(0, codes.size());
                System.out.println("gRPC fuzz, seed " + seed + ": " + codes);
            } finally {
                channel.shutdownNow();
            }
            assertEquals(200, node.status("/ready"));
        }
    }

    private static Status.Code call(ManagedChannel channel, String method, byte[] request) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(DaemonServiceGrpc.SERVICE_NAME, method))
            .setRequestMarshaller(new BytesMarshaller()).setResponseMarshaller(new BytesMarshaller()).build();
        try {
            ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                request);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
