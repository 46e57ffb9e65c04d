package io.opsd.manager.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.google.protobuf.Message;

import io.grpc.Status;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.HeartbeatResponse;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.RegisterNodeResponse;
import io.opsd.grpc.manager.ReportMetricsRequest;
import io.opsd.grpc.manager.ReportMetricsResponse;

/**
 * The Manager as the link sees it, answered by the test: every call waits until the test takes it (success),
 * refuses it (success=false) or fails it (unreachable), oldest first.
 */
final class FakeManager implements ManagerCalls {

    private record Call(Message request, Function<String, Message> answer, CompletableFuture<Message> future) {
    }

    private final Deque<Call> unanswered = new ArrayDeque<>();
    /** Every request the Manager took, in the order it took them. */
    final List<Message> taken = new ArrayList<>();
    int connectBackoffResets;

    @Override
    public CompletableFuture<RegisterNodeResponse> registerNode(RegisterNodeRequest request) {
        return call(request, m -> RegisterNodeResponse.newBuilder().setSuccess(m == null).setMessage(text(m)).build());
    }

    @Override
    public CompletableFuture<HeartbeatResponse> heartbeat(HeartbeatRequest request) {
        return call(request, m -> HeartbeatResponse.newBuilder().setSuccess(m == null).setMessage(text(m)).build());
    }

    @Override
    public CompletableFuture<ReportMetricsResponse> reportMetrics(ReportMetricsRequest request) {
        return call(request, m -> ReportMetricsResponse.newBuilder().setSuccess(m == null).setMessage(text(m)).build());
    }

    @Override
    public CompletableFuture<SyncAgentStatesResponse> syncAgentStates(SyncAgentStatesRequest request) {
        return call(request, m -> SyncAgentStatesResponse.newBuilder().setSuccess(m == null).setMessage(text(m))
            .build());
    }

    @Override
    public void resetConnectBackoff() {
        connectBackoffResets++;
    }

    /** The oldest call waiting for an answer. */
    Message waiting() {
        if (unanswered.isEmpty()) {
            throw new AssertionError("no call waits for an answer");
        }
        return unanswered.peek().request();
    }

    int waitingCount() {
        return unanswered.size();
    }

    /** Answers the oldest waiting call with success, and returns its request. */
    Message take() {
        Call call = next();
        taken.add(call.request());
        call.future().complete(call.answer().apply(null));
        return call.request();
    }

    /** Answers the oldest waiting call with success=false and {@code message}. */
    void refuse(String message) {
        Call call = next();
        call.future().complete(call.answer().apply(message));
    }

    /** Fails the oldest waiting call as an unreachable Manager does. */
    void fail() {
        next().future().completeExceptionally(Status.UNAVAILABLE.withDescription("io exception")
            .asRuntimeException());
    }

    private Call next() {
        Call call = unanswered.poll();
        if (call == null) {
            throw new AssertionError("no call waits for an answer");
        }
        return call;
    }

    @SuppressWarnings("unchecked")
    private <A extends Message> CompletableFuture<A> call(Message request, Function<String, Message> answer) {
        CompletableFuture<Message> future = new CompletableFuture<>();
        unanswered.add(new Call(request, answer, future));
        return (CompletableFuture<A>) future;
    }

    private static String text(String message) {
        return message == null ? "" : message;
    }
}
