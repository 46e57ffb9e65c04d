package io.opsd.agent.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.store.AgentRecord;

/** What earlier opsd processes left of an agent, dealt with once as its supervisor begins. */
final class OrphanCleanup {

    // the supervisor's logger, as before this class was split from it: operators know these lines by that name
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);

    private final String id;
    private final ProcessControl control;
    private final ProcFs procFs;
    private final GroupStopper stopper;

    OrphanCleanup(String id, ProcessControl control, ProcFs procFs, GroupStopper stopper) {
        this.id = id;
        this.control = control;
        this.procFs = procFs;
        this.stopper = stopper;
    }

    /**
     * A process recorded by a previous opsd: adopted when it is the same process (pid and start time match) and
     * the agent may adopt it; otherwise stopped within {@code stopTimeout}, with whatever it left in its group.
     *
     * @param adoptable whether the agent is meant to outlive opsd, is enabled and is meant to run
     * @return the process to adopt, or empty when there is none any more
     */
    Optional<RunningProcess> adoptOrClear(AgentRecord r, boolean adoptable, Duration stopTimeout) {
        OptionalLong ticks = procFs.startTime(r.pid());
        boolean ours = ticks.isPresent() && ticks.getAsLong() == r.processStartTime();
        if (ours && adoptable) {
            Optional<RunningProcess> adopted = RunningProcess.adopted(r.pid(), r.processStartTime(),
                r.startTime().orElse(Instant.now()));
            if (adopted.isPresent()) {
                return adopted;
            }
        }
        if (ours) {
            LOG.info("agent {}: stopping the process {} the previous opsd left behind", id, r.pid());
            control.signalSession(procFs, r.pid(), ProcessControl.SIGTERM);
            stopper.awaitGone(r.pid(), System.nanoTime() + stopTimeout.toNanos());
        }
        if (!ours && !procFs.sessionMembers(r.pid()).isEmpty() && ProcessHandle.of(r.pid()).isEmpty()) {
            LOG.info("agent {}: killing what its previous process {} left in its process group", id, r.pid());
            stopper.kill(r.pid());
        }
        return Optional.empty();
    }

    /**
     * Kills what this agent's processes left when opsd was killed before it had stored their pid (its writer
     * coalesces): orphans carrying the agent's id and this node's work directory in their environment. Under the
     * systemd unit the cgroup goes with opsd anyway; run by hand, these would live on.
     */
    void killLeftovers(Path workDir) {
        Map<String, String> marks = Map.of("OPSD_AGENT_ID", id, "HOME", workDir.toString());
        for (long session : procFs.orphanSessionsWith(marks)) {
            LOG.warn("agent {}: killing the processes of session {} an earlier opsd left behind", id, session);
            stopper.kill(session);
        }
    }
}
