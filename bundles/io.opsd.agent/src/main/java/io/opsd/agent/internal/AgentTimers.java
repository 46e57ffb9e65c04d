package io.opsd.agent.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An agent's serial executor, with delays: a timed task runs in turn with the supervisor's other work, so the
 * supervisor's parts need no locks. Unit tests replace it by one that runs timed tasks when the test says so.
 */
interface AgentTimers extends Executor {

    /** Runs {@code task} once, after {@code delay}. */
    Future<?> after(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, the first time after one period. */
    Future<?> every(Duration period, Runnable task);

    /** Timers of the shared {@code scheduler} whose tasks run on {@code serial}. */
    static AgentTimers of(ScheduledExecutorService scheduler, Executor serial) {
        return new AgentTimers() {
            @Override
            public void execute(Runnable task) {
                serial.execute(task);
            }

            @Override
            public Future<?> after(Duration delay, Runnable task) {
                return scheduler.schedule(() -> serial.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public Future<?> every(Duration period, Runnable task) {
                long nanos = period.toNanos();
                return scheduler.scheduleWithFixedDelay(() -> serial.execute(task), nanos, nanos,
                    TimeUnit.NANOSECONDS);
            }
        };
    }
}
