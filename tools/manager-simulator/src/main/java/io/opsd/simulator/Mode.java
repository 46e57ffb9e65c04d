package io.opsd.simulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the simulator answers one RPC; set through {@code POST /mode}. */
public enum Mode {
    /** Answer like the real Manager. */
    OK("ok"),
    /** Fail with gRPC status UNAVAILABLE, as a Manager that is down or restarting. */
    UNAVAILABLE("unavailable"),
    /** Accept the call and never answer; the client's deadline (or the simulator stopping) ends it. */
    STALL("stall"),
    /** Status OK with success=false; for SyncAgentStates this is the Manager's database error. */
    UNSUCCESSFUL("unsuccessful"),
    /** Heartbeat only: success=false "node not registered" instead of auto-registering, so the node re-registers. */
    UNKNOWN_NODE("unknown-node");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Mode fromWireName(String name) {
        for (Mode m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode \"" + name + "\"; use one of "
            + Arrays.stream(values()).map(Mode::wireName).collect(Collectors.joining(", ")));
    }
}
