package io.opsd.simulator;

import io.grpc.Context;

/** The {@link Mode} chosen for the current call when it arrived, handed from the interceptor to the service. */
final class CallMode {

    static final Context.Key<Mode> KEY = Context.key("opsd-simulator-mode");

    private CallMode() {
    }

    static Mode current() {
        Mode mode = KEY.get();
        return mode == null ? Mode.OK : mode;
    }
}
