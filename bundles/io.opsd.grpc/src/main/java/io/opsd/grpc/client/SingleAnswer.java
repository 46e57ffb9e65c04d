package io.opsd.grpc.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * The observer of a call that answers once (a unary call, or a client stream such as {@code InstallBundle}): its
 * answer, or the call's error, completes {@link #future()}. A call that ends without an answer completes it with
 * {@code INTERNAL}, so a caller waiting on it is never left hanging.
 */
public final class SingleAnswer<A> implements StreamObserver<A> {

    private final CompletableFuture<A> answer = new CompletableFuture<>();

    public CompletableFuture<A> future() {
        return answer;
    }

    /**
     * Waits for the answer.
     *
     * @throws StatusRuntimeException the call's error; {@code DEADLINE_EXCEEDED} when no answer came within
     *         {@code wait}; {@code CANCELLED} when the waiting thread was interrupted (its flag is set again)
     */
    public A await(Duration wait) {
        try {
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s
                : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer within " + wait).asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }

    @Override
    public void onNext(A value) {
        answer.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        answer.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        if (!answer.isDone()) {
            answer.completeExceptionally(Status.INTERNAL.withDescription("the call ended without an answer")
                .asRuntimeException());
        }
    }
}
