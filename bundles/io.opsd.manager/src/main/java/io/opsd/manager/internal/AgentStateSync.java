package io.opsd.manager.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentRecord;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.mapping.AgentMessages;

/**
 * Agent states for the Manager: a change is sent {@code sync_debounce} after it, together with every change that
 * came meanwhile (an agent that changed twice is sent once, as it is now); and every agent, changed or not, at
 * each full sync. State is touched on the {@link LinkLoop} only.
 */
final class AgentStateSync {

    private final LinkLoop loop;
    private final Duration debounce;
    private final Supplier<String> nodeId;
    private final Supplier<List<AgentStatus>> agents;
    private final Function<String, Optional<AgentRecord>> records;
    private final Consumer<SyncAgentStatesRequest> out;

    /** Agent id → its latest status, in the order the agents first changed. */
    private final Map<String, AgentStatus> changed = new LinkedHashMap<>();
    private boolean debouncing;

    AgentStateSync(LinkLoop loop, Duration debounce, Supplier<String> nodeId, Supplier<List<AgentStatus>> agents,
                   Function<String, Optional<AgentRecord>> records, Consumer<SyncAgentStatesRequest> out) {
        this.loop = loop;
        this.debounce = debounce;
        this.nodeId = nodeId;
        this.agents = agents;
        this.records = records;
        this.out = out;
    }

    /** From any thread. */
    void changed(AgentStatus status) {
        loop.execute(() -> {
            changed.put(status.id(), status);
            if (!debouncing) {
                debouncing = true;
                loop.schedule(debounce, this::syncChanged);
            }
        });
    }

    /** Every agent, changed or not; an empty list is a sign of life, as the old daemon sent. */
    void fullSync() {
        out.accept(states(agents.get()));
    }

    private void syncChanged() {
        debouncing = false;
        if (changed.isEmpty()) {
            return;
        }
        List<AgentStatus> states = List.copyOf(changed.values());
        changed.clear();
        out.accept(states(states));
    }

    private SyncAgentStatesRequest states(List<AgentStatus> statuses) {
        SyncAgentStatesRequest.Builder request = SyncAgentStatesRequest.newBuilder().setNodeId(nodeId.get());
        for (AgentStatus s : statuses) {
            request.addStates(AgentMessages.state(s, records.apply(s.id())));
        }
        return request.build();
    }
}
