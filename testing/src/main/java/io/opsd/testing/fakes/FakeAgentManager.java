package io.opsd.testing.fakes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;

/**
 * An AgentManager that knows a fixed set of agents and runs none: start, stop and restart are not supported. Not
 * final, so a test can override one method to play a broken manager.
 */
public class FakeAgentManager implements AgentManager {

    private final Map<String, AgentStatus> agents = new ConcurrentSkipListMap<>(); // id order, as the real one
    private final Predicate<String> registered;

    /** Knows {@code agents}; exactly those are registered. */
    public FakeAgentManager(AgentStatus... agents) {
        for (AgentStatus a : agents) {
            this.agents.put(a.id(), a);
        }
        this.registered = this.agents::containsKey;
    }

    private FakeAgentManager(Predicate<String> registered) {
        this.registered = registered;
    }

    /** Knows no agent, yet takes every id as registered: every heartbeat is accepted. */
    public static FakeAgentManager registeringAll() {
        return new FakeAgentManager(id -> true);
    }

    @Override
    public List<AgentStatus> agents() {
        return List.copyOf(agents.values());
    }

    @Override
    public Optional<AgentStatus> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    @Override
    public CompletionStage<AgentStatus> start(String id) {
        throw new UnsupportedOperationException("a fake runs no agent");
    }

    @Override
    public CompletionStage<AgentStatus> stop(String id) {
        throw new UnsupportedOperationException("a fake runs no agent");
    }

    @Override
    public CompletionStage<AgentStatus> restart(String id) {
        throw new UnsupportedOperationException("a fake runs no agent");
    }

    @Override
    public boolean heartbeat(String id, Instant received) {
        return isRegistered(id);
    }

    @Override
    public boolean isRegistered(String id) {
        return registered.test(id);
    }
}
