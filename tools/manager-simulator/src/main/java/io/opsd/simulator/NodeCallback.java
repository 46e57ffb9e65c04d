package io.opsd.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;

/**
 * Calls a registered node's DaemonService the way the real Manager does: at the ip it registered with, on the port
 * of its {@code opsd.grpc_port} label (9091 without it), 10 MiB messages, 30 s deadlines (90 s for OperateAgent).
 */
final class NodeCallback {

    static final Duration QUERY_DEADLINE = Duration.ofSeconds(30);
    static final Duration OPERATE_DEADLINE = Duration.ofSeconds(90);
    private static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    private final NodeRegistry nodes;
    private final String nodeToken;
    private final Path nodeCa;
    private final JsonFormat.Printer json = JsonFormat.printer().preservingProtoFieldNames()
        .omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();

    /** {@code nodeToken} and {@code nodeCa} may be {@code null}: no authorization header, plaintext. */
    NodeCallback(NodeRegistry nodes, String nodeToken, Path nodeCa) {
        this.nodes = nodes;
        this.nodeToken = nodeToken;
        this.nodeCa = nodeCa;
    }

    /**
     * Carries out {@code {"node_id":..., "rpc":"ListAgents"|"OperateAgent"|"GetAgentMetrics", ...}} and describes the
     * outcome: {@code ok} with the {@code response}, or the gRPC {@code code} and {@code description}.
     */
    JsonObject call(JsonObject request) {
        String nodeId = requiredString(request, "node_id");
        String rpc = requiredString(request, "rpc");
        RegisteredNode node = nodes.node(nodeId)
            .orElseThrow(() -> new ControlRequestException(404, "node " + nodeId + " is not registered"));
        if (node.ip().isBlank() || node.ip().equals(NodeRegistry.UNKNOWN)) {
            throw new ControlRequestException(409, "node " + nodeId + " registered no ip (auto-registered by a "
                + "Heartbeat?); it must send RegisterNode first");
        }
        int port;
        try {
            port = node.daemonPort();
        } catch (IllegalStateException e) {
            throw new ControlRequestException(409, e.getMessage());
        }
        String target = (node.ip().contains(":") ? "[" + node.ip() + "]" : node.ip()) + ":" + port;

        JsonObject outcome = new JsonObject();
        outcome.addProperty("node_id", nodeId);
        outcome.addProperty("rpc", rpc);
        outcome.addProperty("target", target);
        ManagedChannel channel = Grpc.newChannelBuilder(target, credentials())
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .keepAliveTime(45, TimeUnit.SECONDS)
            .build();
        try {
            DaemonServiceGrpc.DaemonServiceBlockingStub stub = DaemonServiceGrpc.newBlockingStub(channel);
            if (nodeToken != null) {
                Metadata headers = new Metadata();
                headers.put(RecordingInterceptor.AUTHORIZATION, "Bearer " + nodeToken);
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            MessageOrBuilder answer = invoke(stub, rpc, request);
            outcome.addProperty("ok", true);
            outcome.add("response", JsonParser.parseString(json.print(answer)));
        } catch (StatusRuntimeException e) {
            outcome.addProperty("ok", false);
            outcome.addProperty("code", e.getStatus().getCode().name());
            outcome.addProperty("description", e.getStatus().getDescription());
        } catch (InvalidProtocolBufferException e) {
            throw new ControlRequestException(500, "cannot print the answer of " + rpc + " as JSON: " + e.getMessage());
        } finally {
            channel.shutdownNow();
        }
        return outcome;
    }

    private MessageOrBuilder invoke(DaemonServiceGrpc.DaemonServiceBlockingStub stub, String rpc, JsonObject request) {
        return switch (rpc) {
            case "ListAgents" -> stub.withDeadlineAfter(QUERY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .listAgents(ListAgentsRequest.getDefaultInstance());
            case "OperateAgent" -> stub.withDeadlineAfter(OPERATE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .operateAgent(AgentOperationRequest.newBuilder()
                    .setAgentId(optionalString(request, "agent_id"))
                    .setOperation(optionalString(request, "operation")).build());
            case "GetAgentMetrics" -> stub.withDeadlineAfter(QUERY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .getAgentMetrics(AgentMetricsRequest.newBuilder()
                    .setAgentId(optionalString(request, "agent_id"))
                    .setDurationSeconds(request.has("duration_seconds") ? request.get("duration_seconds").getAsLong() : 0)
                    .build());
            default -> throw new ControlRequestException(400, "unknown callback rpc \"" + rpc
                + "\"; use ListAgents, OperateAgent or GetAgentMetrics");
        };
    }

    private ChannelCredentials credentials() {
        return credentials(nodeCa);
    }

    /** Plaintext without {@code nodeCa}, else TLS trusting it: how the simulator calls a node back. */
    static ChannelCredentials credentials(Path nodeCa) {
        if (nodeCa == null) {
            return InsecureChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(nodeCa.toFile()).build();
        } catch (IOException e) {
            throw new ControlRequestException(500, "--node-ca " + nodeCa + " cannot be read: " + e.getMessage());
        }
    }

    private static String requiredString(JsonObject request, String field) {
        String value = optionalString(request, field);
        if (value.isEmpty()) {
            throw new ControlRequestException(400, "\"" + field + "\" is required");
        }
        return value;
    }

    /** Values the Manager may legitimately send empty (the node answers INVALID_ARGUMENT) are passed on as they are. */
    private static String optionalString(JsonObject request, String field) {
        return request.has(field) && !request.get(field).isJsonNull() ? request.get(field).getAsString() : "";
    }
}
