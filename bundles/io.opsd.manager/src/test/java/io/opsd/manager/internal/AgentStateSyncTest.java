package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;

class AgentStateSyncTest {

    private static final Duration DEBOUNCE = Duration.ofSeconds(1);
    private static final Instant AGENT_HEARTBEAT = Instant.ofEpochSecond(1_700_000_100L);

    private final ManualLoop loop = new ManualLoop();
    private final List<AgentStatus> agents = new ArrayList<>();
    private final Map<String, AgentRecord> records = Map.of("a2", AgentPatch.builder().version("2.0")
        .heartbeat(AGENT_HEARTBEAT, AGENT_HEARTBEAT, "ok").build()
        .applyTo(AgentRecord.initial("a2", AGENT_HEARTBEAT), AGENT_HEARTBEAT));
    private final List<SyncAgentStatesRequest> sent = new ArrayList<>();
    private final AgentStateSync sync = new AgentStateSync(loop, DEBOUNCE, () -> "n1", () -> agents,
        id -> Optional.ofNullable(records.get(id)), sent::add);

    private static AgentStatus status(String id, AgentState state, long pid) {
        return new AgentStatus(id, "custom", id, state, DesiredState.RUNNING, pid, Optional.empty(), 0,
            Optional.empty(), "unknown", "", Optional.empty(), Optional.empty(), List.of());
    }

    private static List<String> states(SyncAgentStatesRequest request) {
        return request.getStatesList().stream().map(s -> s.getAgentId() + "=" + s.getStatus()).toList();
    }

    @Test
    void changesWithinTheDebounceAreSentTogetherWithEachAgentsLatestState() {
        sync.changed(status("a1", AgentState.STARTING, 0));
        sync.changed(status("a2", AgentState.STARTING, 0));
        sync.changed(status("a1", AgentState.RUNNING, 101));
        loop.runReady();
        assertEquals(List.of(DEBOUNCE), loop.delays(), "one sync for all the changes");
        assertTrue(sent.isEmpty(), "nothing before the debounce is over");

        loop.fireDelayed();
        assertEquals(1, sent.size());
        assertEquals(List.of("a1=running", "a2=starting"), states(sent.get(0)), "in the order agents first changed");
        assertEquals("n1", sent.get(0).getNodeId());
        assertEquals(101, sent.get(0).getStates(0).getPid());
        assertEquals("2.0", sent.get(0).getStates(1).getVersion(), "version and heartbeat from the stored record");
        assertEquals(AGENT_HEARTBEAT.getEpochSecond(), sent.get(0).getStates(1).getLastHeartbeat());
    }

    @Test
    void aChangeAfterASyncStartsTheNextDebounce() {
        sync.changed(status("a1", AgentState.RUNNING, 101));
        loop.runReady();
        loop.fireDelayed();
        sync.changed(status("a1", AgentState.STOPPED, 0));
        loop.runReady();
        assertEquals(List.of(DEBOUNCE), loop.delays());
        loop.fireDelayed();
        assertEquals(2, sent.size());
        assertEquals(List.of("a1=stopped"), states(sent.get(1)));
    }

    @Test
    void aFullSyncSendsEveryAgentAndAnEmptyListWhenThereIsNone() {
        sync.fullSync();
        assertEquals(List.of(), states(sent.get(0)), "an empty list is a sign of life");
        agents.add(status("a1", AgentState.RUNNING, 101));
        agents.add(status("a2", AgentState.FAILED, 0));
        sync.fullSync();
        assertEquals(List.of("a1=running", "a2=failed"), states(sent.get(1)));
        assertTrue(loop.delays().isEmpty(), "a full sync does not wait");
    }
}
