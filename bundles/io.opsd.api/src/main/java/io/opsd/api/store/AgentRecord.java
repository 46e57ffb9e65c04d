package io.opsd.api.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the store holds of one agent. Immutable: a change is an {@link AgentPatch} applied by the store, which
 * returns the next record.
 *
 * @param id the agent id
 * @param type agent type ({@code filebeat}, {@code custom}, ...); empty when not known yet
 * @param version agent version; empty when not known
 * @param status supervisor state on the wire ({@code stopped}, {@code starting}, {@code running}, ...)
 * @param desiredState what the operator wants; survives daemon restarts
 * @param pid process id of the running agent, 0 when none
 * @param processStartTime start time of that process in clock ticks since boot ({@code /proc/<pid>/stat} field
 *     22), 0 when none; with the pid, identifies the process for adoption after a daemon crash
 * @param startTime when the current process was started
 * @param restartCount automatic restarts in a row (manual operations do not count)
 * @param lastExit how the last process ended
 * @param lastHeartbeat the agent's own time in its last heartbeat
 * @param heartbeatReceived when opsd received that heartbeat
 * @param heartbeatStatus the status text of the last heartbeat
 * @param reportedCpu CPU percent the agent reported about itself (kept apart from sampled figures)
 * @param reportedMemory memory bytes the agent reported about itself
 * @param health {@code unknown}, {@code healthy} or {@code unhealthy}
 * @param healthReason why, when unhealthy
 * @param revision incremented by every change; orders the states of one agent
 * @param updated when the last change was applied
 */
public record AgentRecord(String id, String type, String version, String status, DesiredState desiredState,
                          long pid, long processStartTime, Optional<Instant> startTime, int restartCount,
                          Optional<LastExit> lastExit, Optional<Instant> lastHeartbeat,
                          Optional<Instant> heartbeatReceived, Optional<String> heartbeatStatus,
                          OptionalDouble reportedCpu, OptionalLong reportedMemory, String health,
                          String healthReason, long revision, Instant updated) {

    public AgentRecord {
        AgentIds.require(id);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(desiredState, "desiredState");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(lastExit, "lastExit");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        Objects.requireNonNull(heartbeatReceived, "heartbeatReceived");
        Objects.requireNonNull(heartbeatStatus, "heartbeatStatus");
        Objects.requireNonNull(reportedCpu, "reportedCpu");
        Objects.requireNonNull(reportedMemory, "reportedMemory");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(healthReason, "healthReason");
        Objects.requireNonNull(updated, "updated");
    }

    /** A new agent: stopped, wanted running, nothing known yet. */
    public static AgentRecord initial(String id, Instant now) {
        return new AgentRecord(id, "", "", "stopped", DesiredState.RUNNING, 0, 0, Optional.empty(), 0,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
            OptionalLong.empty(), "unknown", "", 0, now);
    }
}
