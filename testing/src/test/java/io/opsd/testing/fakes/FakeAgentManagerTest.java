package io.opsd.testing.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.DesiredState;

class FakeAgentManagerTest {

    private static AgentStatus running(String id) {
        return new AgentStatus(id, "custom", id, AgentState.RUNNING, DesiredState.RUNNING, 42, Optional.empty(), 0,
            Optional.empty(), "unknown", "", Optional.empty(), Optional.empty(), List.of());
    }

    @Test
    void knowsItsAgentsInIdOrderAndOnlyThoseAreRegistered() {
        FakeAgentManager agents = new FakeAgentManager(running("b"), running("a"));
        assertEquals(List.of("a", "b"), agents.agents().stream().map(AgentStatus::id).toList());
        assertEquals("b", agents.agent("b").orElseThrow().id());
        assertTrue(agents.agent("c").isEmpty());
        assertTrue(agents.heartbeat("a", Instant.now()));
        assertFalse(agents.isRegistered("c"));
    }

    @Test
    void registeringAllAcceptsAnyHeartbeatYetKnowsNoAgent() {
        FakeAgentManager agents = FakeAgentManager.registeringAll();
        assertTrue(agents.heartbeat("anyone", Instant.now()));
        assertTrue(agents.agents().isEmpty());
    }
}
