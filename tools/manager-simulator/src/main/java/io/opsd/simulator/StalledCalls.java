package io.opsd.simulator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * Calls in {@link Mode#STALL}: accepted and never answered. The observer is parked here, holding no thread, until
 * the client cancels (its deadline) or the simulator stops.
 */
public final class StalledCalls {

    private final Set<ServerCallStreamObserver<?>> parked = ConcurrentHashMap.newKeySet();

    public void park(StreamObserver<?> response) {
        ServerCallStreamObserver<?> call = (ServerCallStreamObserver<?>) response;
        call.setOnCancelHandler(() -> parked.remove(call));
        parked.add(call);
    }

    public int count() {
        return parked.size();
    }

    /** Ends every parked call with {@code status}; for a clean stop. */
    public void releaseAll(Status status) {
        for (ServerCallStreamObserver<?> call : parked) {
            parked.remove(call);
            try {
                call.onError(status.asRuntimeException());
            } catch (RuntimeException alreadyClosed) {
                // the client cancelled between the loop and here; nothing is left to end
            }
        }
    }
}
