package io.opsd.manager.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.client.SingleAnswer;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.HeartbeatResponse;
import io.opsd.grpc.manager.ManagerServiceGrpc;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.RegisterNodeResponse;
import io.opsd.grpc.manager.ReportMetricsRequest;
import io.opsd.grpc.manager.ReportMetricsResponse;

/**
 * {@link ManagerCalls} over a gRPC channel: every call with the {@code timeout} deadline and the bearer token.
 * SyncAgentStates is {@code proto.DaemonService}'s, on the Manager's address (contracts.md §2).
 */
final class GrpcManagerCalls implements ManagerCalls {

    private final ManagedChannel channel;
    private final long timeoutMillis;
    private final ManagerServiceGrpc.ManagerServiceStub manager;
    private final DaemonServiceGrpc.DaemonServiceStub daemon;

    GrpcManagerCalls(ManagedChannel channel, LinkSettings settings) {
        this.channel = channel;
        this.timeoutMillis = settings.timeout().toMillis();
        this.manager = ManagerServiceGrpc.newStub(channel).withCallCredentials(Channels.credentials(settings));
        this.daemon = DaemonServiceGrpc.newStub(channel).withCallCredentials(Channels.credentials(settings));
    }

    @Override
    public CompletableFuture<RegisterNodeResponse> registerNode(RegisterNodeRequest request) {
        return call(manager, (stub, answer) -> stub.registerNode(request, answer));
    }

    @Override
    public CompletableFuture<HeartbeatResponse> heartbeat(HeartbeatRequest request) {
        return call(manager, (stub, answer) -> stub.heartbeat(request, answer));
    }

    @Override
    public CompletableFuture<ReportMetricsResponse> reportMetrics(ReportMetricsRequest request) {
        return call(manager, (stub, answer) -> stub.reportMetrics(request, answer));
    }

    @Override
    public CompletableFuture<SyncAgentStatesResponse> syncAgentStates(SyncAgentStatesRequest request) {
        return call(daemon, (stub, answer) -> stub.syncAgentStates(request, answer));
    }

    @Override
    public void resetConnectBackoff() {
        // the channel's own reconnect backoff grows to 2 minutes: without this, a Manager that is back would be
        // reached that late after a long outage, whatever reconnect_max says
        channel.resetConnectBackoff();
    }

    void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    private <S extends AbstractStub<S>, A> CompletableFuture<A> call(S stub,
                                                                     BiConsumer<S, StreamObserver<A>> invocation) {
        SingleAnswer<A> answer = new SingleAnswer<>();
        invocation.accept(stub.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS), answer);
        return answer.future();
    }
}
