package io.opsd.api.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A change to some fields of an {@link AgentRecord}. A field not set in the patch is left as it is, which is how
 * "not given" differs from zero: a status-only update never resets the restart count. Build one with
 * {@link #builder()}; the store applies it atomically, so concurrent patches of different fields never lose
 * each other.
 */
public final class AgentPatch {

    private final String type;
    private final String version;
    private final String status;
    private final DesiredState desiredState;
    private final Long pid;
    private final Long processStartTime;
    private final Optional<Instant> startTime;
    private final Integer restartCount;
    private final boolean incrementRestartCount;
    private final LastExit lastExit;
    private final Instant lastHeartbeat;
    private final Instant heartbeatReceived;
    private final String heartbeatStatus;
    private final Double reportedCpu;
    private final Long reportedMemory;
    private final String health;
    private final String healthReason;

    private AgentPatch(Builder b) {
        type = b.type;
        version = b.version;
        status = b.status;
        desiredState = b.desiredState;
        pid = b.pid;
        processStartTime = b.processStartTime;
        startTime = b.startTime;
        restartCount = b.restartCount;
        incrementRestartCount = b.incrementRestartCount;
        lastExit = b.lastExit;
        lastHeartbeat = b.lastHeartbeat;
        heartbeatReceived = b.heartbeatReceived;
        heartbeatStatus = b.heartbeatStatus;
        reportedCpu = b.reportedCpu;
        reportedMemory = b.reportedMemory;
        health = b.health;
        healthReason = b.healthReason;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The record after this patch: given fields replaced, the revision incremented, {@code updated} set. */
    public AgentRecord applyTo(AgentRecord r, Instant now) {
        int restarts = restartCount != null ? restartCount : r.restartCount();
        if (incrementRestartCount) {
            restarts++;
        }
        return new AgentRecord(r.id(),
            type != null ? type : r.type(),
            version != null ? version : r.version(),
            status != null ? status : r.status(),
            desiredState != null ? desiredState : r.desiredState(),
            pid != null ? pid : r.pid(),
            processStartTime != null ? processStartTime : r.processStartTime(),
            startTime != null ? startTime : r.startTime(),
            restarts,
            lastExit != null ? Optional.of(lastExit) : r.lastExit(),
            lastHeartbeat != null ? Optional.of(lastHeartbeat) : r.lastHeartbeat(),
            heartbeatReceived != null ? Optional.of(heartbeatReceived) : r.heartbeatReceived(),
            heartbeatStatus != null ? Optional.of(heartbeatStatus) : r.heartbeatStatus(),
            reportedCpu != null ? OptionalDouble.of(reportedCpu) : r.reportedCpu(),
            reportedMemory != null ? OptionalLong.of(reportedMemory) : r.reportedMemory(),
            health != null ? health : r.health(),
            healthReason != null ? healthReason : r.healthReason(),
            r.revision() + 1,
            now);
    }

    public static final class Builder {
        private String type;
        private String version;
        private String status;
        private DesiredState desiredState;
        private Long pid;
        private Long processStartTime;
        private Optional<Instant> startTime;
        private Integer restartCount;
        private boolean incrementRestartCount;
        private LastExit lastExit;
        private Instant lastHeartbeat;
        private Instant heartbeatReceived;
        private String heartbeatStatus;
        private Double reportedCpu;
        private Long reportedMemory;
        private String health;
        private String healthReason;

        private Builder() {
        }

        public Builder type(String value) {
            type = value;
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder status(String value) {
            status = value;
            return this;
        }

        public Builder desiredState(DesiredState value) {
            desiredState = value;
            return this;
        }

        /** The running process, identified by pid and start time in ticks since boot; 0, 0 for none. */
        public Builder process(long processId, long startTicks) {
            pid = processId;
            processStartTime = startTicks;
            return this;
        }

        public Builder startTime(Instant value) {
            startTime = Optional.ofNullable(value);
            return this;
        }

        public Builder restartCount(int value) {
            restartCount = value;
            incrementRestartCount = false;
            return this;
        }

        /** One more automatic restart, counted by the store on the value it holds, so no increment is lost. */
        public Builder incrementRestartCount() {
            incrementRestartCount = true;
            return this;
        }

        public Builder lastExit(LastExit value) {
            lastExit = value;
            return this;
        }

        /** A heartbeat: the agent's own time, when it was received, and what the agent said about itself. */
        public Builder heartbeat(Instant agentTime, Instant received, String statusText) {
            lastHeartbeat = agentTime;
            heartbeatReceived = received;
            heartbeatStatus = statusText;
            return this;
        }

        public Builder reported(double cpuPercent, long memoryBytes) {
            reportedCpu = cpuPercent;
            reportedMemory = memoryBytes;
            return this;
        }

        public Builder health(String value, String reason) {
            health = value;
            healthReason = reason;
            return this;
        }

        public AgentPatch build() {
            return new AgentPatch(this);
        }
    }
}
