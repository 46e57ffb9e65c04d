package io.opsd.manager.internal;

import java.util.concurrent.CompletableFuture;

import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.HeartbeatResponse;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.RegisterNodeResponse;
import io.opsd.grpc.manager.ReportMetricsRequest;
import io.opsd.grpc.manager.ReportMetricsResponse;

/**
 * The Manager's RPCs as the link makes them: asynchronous, never blocking the caller. A future completes with
 * the Manager's answer, or exceptionally when the call failed (unreachable, deadline, refused credentials).
 */
interface ManagerCalls {

    CompletableFuture<RegisterNodeResponse> registerNode(RegisterNodeRequest request);

    CompletableFuture<HeartbeatResponse> heartbeat(HeartbeatRequest request);

    CompletableFuture<ReportMetricsResponse> reportMetrics(ReportMetricsRequest request);

    CompletableFuture<SyncAgentStatesResponse> syncAgentStates(SyncAgentStatesRequest request);

    /** The next call dials at once, whatever backoff the transport keeps of its own. */
    void resetConnectBackoff();
}
