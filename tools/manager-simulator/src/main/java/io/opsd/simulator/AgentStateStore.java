package io.opsd.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsd.grpc.daemon.AgentState;

/** The agent states nodes sent with SyncAgentStates, upserted as the real Manager does (contracts.md §2). */
public final class AgentStateStore {

    /**
     * One stored agent state.
     *
     * @param lastHeartbeat Unix seconds, as the node sent it
     * @param updatedAtMs   Unix ms of the SyncAgentStates that last changed or confirmed it
     */
    public record StoredAgentState(String nodeId, String agentId, String status, int pid, long lastHeartbeat,
        String type, String version, long updatedAtMs) {
    }

    private final Map<String, Map<String, StoredAgentState>> byNode = new LinkedHashMap<>();

    /**
     * Upserts each state of {@code nodeId}: an empty status, type or version, a 0 pid and a 0 last_heartbeat keep
     * the stored value. A state without agent_id is skipped. Returns how many states were stored.
     */
    public synchronized int upsert(String nodeId, List<AgentState> states, long receivedAtMs) {
        Map<String, StoredAgentState> agents = byNode.computeIfAbsent(nodeId, id -> new LinkedHashMap<>());
        int stored = 0;
        for (AgentState s : states) {
            if (s.getAgentId().isEmpty()) {
                continue;
            }
            StoredAgentState old = agents.get(s.getAgentId());
            agents.put(s.getAgentId(), new StoredAgentState(nodeId, s.getAgentId(),
                keep(s.getStatus(), old == null ? "" : old.status()),
                s.getPid() != 0 || old == null ? s.getPid() : old.pid(),
                s.getLastHeartbeat() != 0 || old == null ? s.getLastHeartbeat() : old.lastHeartbeat(),
                keep(s.getType(), old == null ? "" : old.type()),
                keep(s.getVersion(), old == null ? "" : old.version()),
                receivedAtMs));
            stored++;
        }
        return stored;
    }

    public synchronized List<StoredAgentState> states() {
        List<StoredAgentState> all = new ArrayList<>();
        byNode.values().forEach(agents -> all.addAll(agents.values()));
        all.sort(Comparator.comparing(StoredAgentState::nodeId).thenComparing(StoredAgentState::agentId));
        return all;
    }

    public synchronized void clear() {
        byNode.clear();
    }

    private static String keep(String sent, String stored) {
        return sent.isEmpty() ? stored : sent;
    }
}
