package io.opsd.simulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The RPCs the simulator serves, by their bare method name as nodes call them. */
public enum SimulatedRpc {
    REGISTER_NODE("RegisterNode"),
    HEARTBEAT("Heartbeat"),
    REPORT_METRICS("ReportMetrics"),
    SYNC_AGENT_STATES("SyncAgentStates");

    private final String methodName;

    SimulatedRpc(String methodName) {
        this.methodName = methodName;
    }

    public String methodName() {
        return methodName;
    }

    public static SimulatedRpc fromMethodName(String name) {
        for (SimulatedRpc rpc : values()) {
            if (rpc.methodName.equals(name)) {
                return rpc;
            }
        }
        throw new IllegalArgumentException("unknown rpc \"" + name + "\"; use one of "
            + Arrays.stream(values()).map(SimulatedRpc::methodName).collect(Collectors.joining(", ")) + " or *");
    }
}
