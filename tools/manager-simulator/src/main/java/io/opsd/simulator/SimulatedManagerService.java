package io.opsd.simulator;

import java.time.Clock;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.HeartbeatResponse;
import io.opsd.grpc.manager.ManagerServiceGrpc;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.RegisterNodeResponse;
import io.opsd.grpc.manager.ReportMetricsRequest;
import io.opsd.grpc.manager.ReportMetricsResponse;

/** manager.ManagerService as the central Manager answers it, unless a {@link Mode} says otherwise. */
final class SimulatedManagerService extends ManagerServiceGrpc.ManagerServiceImplBase {

    static final String NODE_NOT_REGISTERED = "node not registered";

    private final NodeRegistry nodes;
    private final FaultResponder faults;
    private final Clock clock;

    SimulatedManagerService(NodeRegistry nodes, FaultResponder faults, Clock clock) {
        this.nodes = nodes;
        this.faults = faults;
        this.clock = clock;
    }

    @Override
    public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> response) {
        Mode mode = CallMode.current();
        if (faults.answered(mode, SimulatedRpc.REGISTER_NODE, response) || missingNodeId(request.getNodeId(), response)) {
            return;
        }
        if (mode == Mode.UNSUCCESSFUL) {
            reply(response, RegisterNodeResponse.newBuilder().setSuccess(false)
                .setMessage("failed to register node: simulated failure").build());
            return;
        }
        nodes.register(request, clock.millis());
        reply(response, RegisterNodeResponse.newBuilder().setSuccess(true)
            .setMessage("node registered successfully").build());
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        Mode mode = CallMode.current();
        if (faults.answered(mode, SimulatedRpc.HEARTBEAT, response) || missingNodeId(request.getNodeId(), response)) {
            return;
        }
        long now = clock.millis();
        switch (mode) {
            case UNSUCCESSFUL -> reply(response, heartbeatAnswer(false, "failed to update heartbeat: simulated failure"));
            case UNKNOWN_NODE -> reply(response, nodes.heartbeat(request.getNodeId(), now, request.getTimestamp())
                ? heartbeatAnswer(true, "heartbeat received")
                : heartbeatAnswer(false, NODE_NOT_REGISTERED));
            default -> {
                nodes.heartbeatOrAutoRegister(request.getNodeId(), now, request.getTimestamp());
                reply(response, heartbeatAnswer(true, "heartbeat received"));
            }
        }
    }

    @Override
    public void reportMetrics(ReportMetricsRequest request, StreamObserver<ReportMetricsResponse> response) {
        Mode mode = CallMode.current();
        if (faults.answered(mode, SimulatedRpc.REPORT_METRICS, response) || missingNodeId(request.getNodeId(), response)) {
            return;
        }
        reply(response, mode == Mode.UNSUCCESSFUL
            ? ReportMetricsResponse.newBuilder().setSuccess(false).setMessage("failed to store metrics: simulated failure")
                .build()
            : ReportMetricsResponse.newBuilder().setSuccess(true)
                .setMessage("received " + request.getMetricsCount() + " metrics").build());
    }

    private static HeartbeatResponse heartbeatAnswer(boolean success, String message) {
        return HeartbeatResponse.newBuilder().setSuccess(success).setMessage(message).build();
    }

    static boolean missingNodeId(String nodeId, StreamObserver<?> response) {
        if (!nodeId.isEmpty()) {
            return false;
        }
        response.onError(Status.INVALID_ARGUMENT.withDescription("node_id is required").asRuntimeException());
        return true;
    }

    static <T> void reply(StreamObserver<T> response, T answer) {
        response.onNext(answer);
        response.onCompleted();
    }
}
