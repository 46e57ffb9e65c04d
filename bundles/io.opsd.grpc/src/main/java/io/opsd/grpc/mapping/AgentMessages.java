package io.opsd.grpc.mapping;

import java.time.Instant;
import java.util.Optional;

import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentRecord;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentState;

/**
 * An agent as the wire carries it: {@code proto.AgentInfo} for ListAgents, {@code proto.AgentState} for
 * SyncAgentStates. Status, pid, start time and restart count come from one snapshot of the agent's supervisor;
 * version and last heartbeat, which only the agent's heartbeats change, from its stored record.
 */
public final class AgentMessages {

    private AgentMessages() {
    }

    public static AgentInfo info(AgentStatus status, Optional<AgentRecord> record) {
        return AgentInfo.newBuilder()
            .setId(status.id())
            .setType(status.type())
            .setVersion(version(record))
            .setStatus(status.state().wireName())
            .setPid((int) status.pid())
            .setStartTime(status.startTime().map(Instant::getEpochSecond).orElse(0L))
            .setRestartCount(status.restartCount())
            .setLastHeartbeat(lastHeartbeat(record))
            .build();
    }

    public static AgentState state(AgentStatus status, Optional<AgentRecord> record) {
        return AgentState.newBuilder()
            .setAgentId(status.id())
            .setStatus(status.state().wireName())
            .setPid((int) status.pid())
            .setType(status.type())
            .setVersion(version(record))
            .setLastHeartbeat(lastHeartbeat(record))
            .build();
    }

    private static String version(Optional<AgentRecord> record) {
        return record.map(AgentRecord::version).orElse("");
    }

    /** Always the agent's own last heartbeat, never the time of the message; 0 when it never sent one. */
    private static long lastHeartbeat(Optional<AgentRecord> record) {
        return record.flatMap(AgentRecord::lastHeartbeat).map(Instant::getEpochSecond).orElse(0L);
    }
}
