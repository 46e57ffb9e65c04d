package io.opsd.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsd.grpc.daemon.AgentState;

class AgentStateStoreTest {

    private final AgentStateStore store = new AgentStateStore();

    @Test
    void aNewAgentIsStoredAsSentEvenWithEmptyFields() {
        store.upsert("n1", List.of(AgentState.newBuilder().setAgentId("a1").build()), 7);

        assertEquals(List.of(new AgentStateStore.StoredAgentState("n1", "a1", "", 0, 0, "", "", 7)), store.states());
    }

    @Test
    void statesWithoutAnAgentIdAreSkippedAndNodesAreKeptApart() {
        int stored = store.upsert("n1", List.of(AgentState.newBuilder().setStatus("running").build(),
            AgentState.newBuilder().setAgentId("a1").setPid(1).build()), 1);
        store.upsert("n2", List.of(AgentState.newBuilder().setAgentId("a1").setPid(2).build()), 2);

        assertEquals(1, stored);
        assertEquals(List.of(1, 2), store.states().stream().map(AgentStateStore.StoredAgentState::pid).toList());
    }
}
