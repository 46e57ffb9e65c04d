package io.opsd.simulator;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** Answers a call in {@link Mode#UNAVAILABLE} or {@link Mode#STALL}; the other modes are left to the service. */
final class FaultResponder {

    private final StalledCalls stalled;

    FaultResponder(StalledCalls stalled) {
        this.stalled = stalled;
    }

    /** True when the call was answered (or parked) here and the service must not answer it. */
    boolean answered(Mode mode, SimulatedRpc rpc, StreamObserver<?> response) {
        switch (mode) {
            case UNAVAILABLE -> {
                response.onError(Status.UNAVAILABLE
                    .withDescription("manager simulator: " + rpc.methodName() + " is in mode unavailable")
                    .asRuntimeException());
                return true;
            }
            case STALL -> {
                stalled.park(response);
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
