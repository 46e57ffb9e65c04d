package io.opsd.api.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.opsd.api.store.DesiredState;
import io.opsd.api.store.LastExit;

/**
 * A consistent view of one supervised agent.
 *
 * @param id agent id
 * @param type agent type
 * @param name display name from the configuration
 * @param state supervisor state
 * @param desiredState what the operator wants
 * @param pid process id, 0 when not running
 * @param startTime when the current process started
 * @param restartCount automatic restarts in a row
 * @param lastExit how the last process ended
 * @param health {@code unknown}, {@code healthy} or {@code unhealthy}
 * @param healthReason why unhealthy
 * @param lastRestartReason why the agent was last restarted automatically
 * @param configurationProblem why the latest configuration was refused, while it is (the agent keeps the previous)
 * @param lastLines the last lines of its output
 */
public record AgentStatus(String id, String type, String name, AgentState state, DesiredState desiredState, long pid,
                          Optional<Instant> startTime, int restartCount, Optional<LastExit> lastExit, String health,
                          String healthReason, Optional<String> lastRestartReason,
                          Optional<String> configurationProblem, List<String> lastLines) {

    public AgentStatus {
        Objects.requireNonNull(id, "id");
        lastLines = List.copyOf(lastLines);
    }
}
