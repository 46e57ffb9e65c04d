package io.opsd.agent.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an agent's process group: SIGTERM first, SIGKILL when the stop timeout has passed, then a poll until
 * nothing is left of the session the group leads (what the agent forked got the signals too).
 */
final class GroupStopper {

    // the supervisor's logger, as before this class was split from it: operators know these lines by that name
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);
    private static final Duration GROUP_POLL = Duration.ofMillis(50);
    /** how long the processes of a group get to be gone after SIGKILL */
    static final Duration AFTER_KILL_LIMIT = Duration.ofSeconds(5);

    private final String id;
    private final ProcessControl control;
    private final ProcFs procFs;
    private final AgentTimers timers;
    private Future<?> killTimer;
    /** opsd (or this bundle) stops: every agent was signalled together */
    private boolean shuttingDown;

    GroupStopper(String id, ProcessControl control, ProcFs procFs, AgentTimers timers) {
        this.id = id;
        this.control = control;
        this.procFs = procFs;
        this.timers = timers;
    }

    /** Every agent stops together from now on: stop timeouts are cut to the runtime's limit. */
    void shutdown() {
        shuttingDown = true;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** The stop timeout in force: the {@code configured} one, cut to the runtime's limit while opsd stops. */
    Duration timeout(Duration configured) {
        return shuttingDown ? AgentRuntime.shutdownStopTimeout(configured) : configured;
    }

    /**
     * SIGTERM to the session {@code group} leads (with {@code wholeSession} false, to the process group only: the
     * runtime does the rest), and SIGKILL to the session after {@code timeout} if {@code stillRunning} says so then.
     */
    void terminate(long group, boolean wholeSession, Duration timeout, BooleanSupplier stillRunning) {
        if (wholeSession) {
            control.signalSession(procFs, group, ProcessControl.SIGTERM);
        } else {
            control.signalGroup(group, ProcessControl.SIGTERM);
        }
        if (killTimer != null) {
            killTimer.cancel(false);
        }
        killTimer = timers.after(timeout, () -> {
            if (stillRunning.getAsBoolean()) {
                LOG.warn("agent {} did not stop within {} ms of SIGTERM; sending SIGKILL", id, timeout.toMillis());
                kill(group);
            }
        });
    }

    /** Forgets the SIGKILL that {@link #terminate} planned. */
    void cancel() {
        if (killTimer != null) {
            killTimer.cancel(false);
            killTimer = null;
        }
    }

    /** SIGKILL to the session {@code group} leads. */
    void kill(long group) {
        control.signalSession(procFs, group, ProcessControl.SIGKILL);
    }

    /** Polls until nothing of the group is left, with SIGKILL at the deadline; then runs {@code then}. */
    void whenGone(long group, long deadlineNanos, Runnable then) {
        whenGone(group, deadlineNanos, false, then);
    }

    private void whenGone(long group, long deadlineNanos, boolean killed, Runnable then) {
        if (procFs.sessionMembers(group).isEmpty()) {
            then.run();
            return;
        }
        long deadline = deadlineNanos;
        boolean sentKill = killed;
        if (System.nanoTime() - deadline > 0) {
            if (sentKill) {
                LOG.warn("agent {}: processes of group {} survive SIGKILL: {}", id, group,
                    procFs.sessionMembers(group));
                then.run();
                return;
            }
            kill(group);
            sentKill = true;
            deadline = System.nanoTime() + AFTER_KILL_LIMIT.toNanos();
        }
        long nextDeadline = deadline;
        boolean nextKilled = sentKill;
        timers.after(GROUP_POLL, () -> whenGone(group, nextDeadline, nextKilled, then));
    }

    /** Waits, blocking, until nothing of the group is left; SIGKILL at the deadline. For the start-up only. */
    void awaitGone(long group, long deadlineNanos) {
        while (!procFs.sessionMembers(group).isEmpty()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                kill(group);
                return;
            }
            LockSupport.parkNanos(GROUP_POLL.toNanos()); // bounded poll at start-up
        }
    }
}
