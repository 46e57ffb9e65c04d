package io.opsd.agent.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.agent.NoSuchAgentException;

/** The agents, as the supervisors of the configured ones register themselves. */
@Component(immediate = true)
public final class AgentManagerService implements AgentManager {

    private static final Logger LOG = LoggerFactory.getLogger(AgentManagerService.class);

    private final Map<String, SupervisedAgent> agents = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void addAgent(SupervisedAgent agent) {
        SupervisedAgent previous = agents.putIfAbsent(agent.id(), agent);
        if (previous != null) {
            LOG.error("two configurations define agent {}; only the first is managed", agent.id());
        }
    }

    void removeAgent(SupervisedAgent agent) {
        agents.remove(agent.id(), agent);
    }

    @Override
    public List<AgentStatus> agents() {
        List<AgentStatus> out = new ArrayList<>();
        agents.values().forEach(a -> out.add(a.status()));
        out.sort(Comparator.comparing(AgentStatus::id));
        return out;
    }

    @Override
    public Optional<AgentStatus> agent(String id) {
        return Optional.ofNullable(agents.get(id)).map(SupervisedAgent::status);
    }

    @Override
    public CompletionStage<AgentStatus> start(String id) {
        return find(id).start();
    }

    @Override
    public CompletionStage<AgentStatus> stop(String id) {
        return find(id).stop();
    }

    @Override
    public CompletionStage<AgentStatus> restart(String id) {
        return find(id).restart();
    }

    @Override
    public boolean heartbeat(String id, Instant received) {
        SupervisedAgent a = agents.get(id);
        if (a == null || !a.enabled()) {
            return false;
        }
        a.heartbeat(received);
        return true;
    }

    @Override
    public boolean isRegistered(String id) {
        SupervisedAgent a = agents.get(id);
        return a != null && a.enabled();
    }

    private SupervisedAgent find(String id) {
        SupervisedAgent a = id == null ? null : agents.get(id);
        if (a == null) {
            throw new NoSuchAgentException(id);
        }
        return a;
    }
}
