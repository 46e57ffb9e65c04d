package io.opsd.agent.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.opsd.api.agent.AgentStatus;

/** One agent's supervisor, as a service of this bundle that the agent manager tracks (a private whiteboard). */
interface SupervisedAgent {

    String ID = "opsd.agent.id";

    String id();

    boolean enabled();

    AgentStatus status();

    CompletableFuture<AgentStatus> start();

    CompletableFuture<AgentStatus> stop();

    CompletableFuture<AgentStatus> restart();

    void heartbeat(Instant received);
}
