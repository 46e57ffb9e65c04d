package io.opsd.agent.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The restart policy at work for one agent. After an end that nobody asked for it decides: no restart, a restart
 * after the backoff of this attempt, or none any more because restart.max_retries restarts in a row did not help.
 * It keeps the count of restarts in a row, which starts over after a steady run of restart.reset_after, and the
 * timers of both. Confined to the supervisor's serial executor.
 */
final class RestartTracker {

    /** What follows an end. */
    sealed interface Decision permits Stop, GiveUp, Restart {
    }

    /** No restart: the policy does not restart this kind of end, or the agent is not meant to run. */
    record Stop() implements Decision {
    }

    /** No restart any more: the agent ended {@code endings} times in a row. */
    record GiveUp(int endings) implements Decision {
    }

    /** A restart after {@code delay}, the {@code attempt}-th in a row. */
    record Restart(int attempt, Duration delay) implements Decision {
    }

    private final AgentTimers timers;
    private int count;
    private Future<?> pending;
    private Future<?> resetTimer;

    RestartTracker(AgentTimers timers) {
        this.timers = timers;
    }

    /** Automatic restarts in a row. */
    int count() {
        return count;
    }

    /** Takes the count a previous opsd recorded. */
    void restore(int recorded) {
        count = recorded;
    }

    /** An operator's start or restart: the count starts over. */
    void startOver() {
        count = 0;
    }

    /**
     * Decides after the agent ended without being asked to; a restart counts.
     *
     * @param wanted whether the agent is enabled and meant to run
     * @param failed whether it ended by a signal, an exit code other than 0, a start that failed or an unhealthy check
     */
    Decision afterEnd(RestartPolicy policy, boolean wanted, boolean failed) {
        if (!wanted || !policy.restarts(failed)) {
            return new Stop();
        }
        if (count >= policy.maxRetries()) {
            return new GiveUp(count + 1);
        }
        count++;
        return new Restart(count, policy.backoff(count));
    }

    /** Runs {@code launch} after the restart's delay, unless {@link #cancelPending()} comes first. */
    void schedule(Restart restart, Runnable launch) {
        pending = timers.after(restart.delay(), launch);
    }

    void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /**
     * Starts the count over once a run has lasted {@code resetAfter}, if {@code steady} then says it is the same
     * run and healthy, and restarts were counted; {@code reset} is told after.
     */
    void resetAfter(Duration resetAfter, BooleanSupplier steady, Runnable reset) {
        resetTimer = timers.after(resetAfter, () -> {
            if (steady.getAsBoolean() && count > 0) {
                count = 0;
                reset.run();
            }
        });
    }

    /** Forgets the reset of the current run, which ended or is being watched anew. */
    void cancelReset() {
        if (resetTimer != null) {
            resetTimer.cancel(false);
            resetTimer = null;
        }
    }
}
