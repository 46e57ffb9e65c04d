package io.opsd.agent.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * {@link AgentTimers} for unit tests: a task given to {@code execute} runs at once, on the caller's thread; a
 * timed task runs only when the test fires it.
 */
final class ManualTimers implements AgentTimers {

    /** A timed task, cancelled or not. */
    static final class Timer {
        final Duration delay;
        final boolean repeats;
        private final Runnable task;
        private final CompletableFuture<Void> future = new CompletableFuture<>();

        private Timer(Duration delay, boolean repeats, Runnable task) {
            this.delay = delay;
            this.repeats = repeats;
            this.task = task;
        }

        boolean cancelled() {
            return future.isCancelled();
        }

        /** Runs the task as its timer would, once; a cancelled or spent timer does nothing. */
        void fire() {
            if (!future.isDone()) {
                task.run();
                if (!repeats) {
                    future.complete(null);
                }
            }
        }
    }

    private final List<Timer> timers = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public Future<?> after(Duration delay, Runnable task) {
        return add(new Timer(delay, false, task));
    }

    @Override
    public Future<?> every(Duration period, Runnable task) {
        return add(new Timer(period, true, task));
    }

    private Future<?> add(Timer timer) {
        timers.add(timer);
        return timer.future;
    }

    /** The timer set last. */
    Timer last() {
        if (timers.isEmpty()) {
            throw new AssertionError("no timer was set");
        }
        return timers.get(timers.size() - 1);
    }
}
