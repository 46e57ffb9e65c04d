package io.opsd.simulator;

import java.util.EnumMap;
import java.util.Map;

/** The current {@link Mode} of each simulated RPC; all start as {@link Mode#OK}. Thread-safe. */
public final class FaultModes {

    private final Map<SimulatedRpc, Mode> modes = new EnumMap<>(SimulatedRpc.class);

    public synchronized Mode of(SimulatedRpc rpc) {
        return modes.getOrDefault(rpc, Mode.OK);
    }

    public synchronized void set(SimulatedRpc rpc, Mode mode) {
        modes.put(rpc, mode);
    }

    public synchronized void setAll(Mode mode) {
        for (SimulatedRpc rpc : SimulatedRpc.values()) {
            modes.put(rpc, mode);
        }
    }

    public synchronized Map<SimulatedRpc, Mode> snapshot() {
        Map<SimulatedRpc, Mode> copy = new EnumMap<>(SimulatedRpc.class);
        for (SimulatedRpc rpc : SimulatedRpc.values()) {
            copy.put(rpc, of(rpc));
        }
        return copy;
    }
}
