package io.opsd.grpc.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.grpc.daemon.AgentInfo;

class AgentMessagesTest {

    private static final Instant STARTED = Instant.ofEpochSecond(1_700_000_000L);
    private static final Instant AGENT_HEARTBEAT = Instant.ofEpochSecond(1_700_000_100L);
    private static final Instant RECEIVED = Instant.ofEpochSecond(1_700_000_105L);

    private static AgentStatus status(AgentState state) {
        return new AgentStatus("filebeat", "filebeat", "filebeat", state, DesiredState.RUNNING, 4242,
            Optional.of(STARTED), 3, Optional.empty(), "healthy", "", Optional.empty(), Optional.empty(), List.of());
    }

    private static Optional<AgentRecord> recordWithHeartbeat() {
        return Optional.of(AgentPatch.builder().version("8.12.0").heartbeat(AGENT_HEARTBEAT, RECEIVED, "ok").build()
            .applyTo(AgentRecord.initial("filebeat", STARTED), RECEIVED));
    }

    @Test
    void infoTakesTheProcessFromTheStatusAndVersionAndHeartbeatFromTheRecord() {
        AgentInfo info = AgentMessages.info(status(AgentState.RUNNING), recordWithHeartbeat());
        assertEquals(AgentInfo.newBuilder().setId("filebeat").setType("filebeat").setVersion("8.12.0")
            .setStatus("running").setPid(4242).setStartTime(STARTED.getEpochSecond()).setRestartCount(3)
            .setLastHeartbeat(AGENT_HEARTBEAT.getEpochSecond()).build(), info);
    }

    @Test
    void stateCarriesTheAgentsOwnHeartbeatTimeNotWhenItWasReceived() {
        var state = AgentMessages.state(status(AgentState.RUNNING), recordWithHeartbeat());
        assertEquals(io.opsd.grpc.daemon.AgentState.newBuilder().setAgentId("filebeat").setStatus("running")
            .setPid(4242).setType("filebeat").setVersion("8.12.0").setLastHeartbeat(AGENT_HEARTBEAT.getEpochSecond())
            .build(), state);
    }

    @Test
    void anAgentWithoutARecordHasNoVersionAndNoHeartbeat() {
        var state = AgentMessages.state(status(AgentState.WAITING_FOR_TYPE), Optional.empty());
        assertEquals("", state.getVersion());
        assertEquals(0, state.getLastHeartbeat());
        assertEquals("stopped", state.getStatus(), "waiting for a type shows as stopped on the wire");
        AgentInfo info = AgentMessages.info(status(AgentState.WAITING_FOR_TYPE), Optional.empty());
        assertEquals("", info.getVersion());
        assertEquals(0, info.getLastHeartbeat());
    }
}
