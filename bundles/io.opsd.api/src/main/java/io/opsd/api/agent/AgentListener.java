package io.opsd.api.agent;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: every registered listener hears every state change of every agent, on a thread of the agent
 * supervisor's notifier (never the supervisor itself), in order per agent.
 */
@ConsumerType
public interface AgentListener {

    void changed(AgentStatus status);
}
