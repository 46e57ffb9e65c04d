package io.opsd.api.agent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The supervised agents. Operations run on the agent's own supervisor, never on the caller's thread: the
 * returned stage completes when the operation has been carried out (a stop when the process is gone), and the
 * process lives on whatever happens to the caller. Manual operations are not automatic restarts: they reset the
 * restart count and set the desired state.
 */
@ProviderType
public interface AgentManager {

    /** Every configured agent, in id order. */
    List<AgentStatus> agents();

    Optional<AgentStatus> agent(String id);

    /** Starts the agent (a running agent is left running) and wants it running from now on. */
    CompletionStage<AgentStatus> start(String id) throws NoSuchAgentException;

    /** Stops the agent gracefully (SIGTERM to its process group, then SIGKILL) and wants it stopped. */
    CompletionStage<AgentStatus> stop(String id) throws NoSuchAgentException;

    /** Stops and starts the agent at once, without backoff, and wants it running. */
    CompletionStage<AgentStatus> restart(String id) throws NoSuchAgentException;

    /**
     * A heartbeat from the agent arrived at {@code received}: feeds its heartbeat timeout.
     *
     * @return false when no enabled agent has this id
     */
    boolean heartbeat(String id, Instant received);

    /** Whether an enabled agent with this id is configured (heartbeats from others are refused). */
    boolean isRegistered(String id);
}
