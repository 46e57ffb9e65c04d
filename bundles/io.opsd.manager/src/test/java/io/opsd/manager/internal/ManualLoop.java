package io.opsd.manager.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link LinkLoop} the test turns by hand: nothing runs until the test says so, and a delay is recorded, never
 * waited for, so tests see what the link would do when without depending on time.
 */
final class ManualLoop implements LinkLoop {

    record Delayed(Duration delay, Runnable task) {
    }

    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final List<Delayed> delayed = new ArrayList<>();
    private final List<Duration> periods = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
        delayed.add(new Delayed(delay, task));
    }

    @Override
    public void every(Duration interval, Runnable task) {
        periods.add(interval);
    }

    /** Runs what is ready, and what that makes ready, until nothing is. */
    void runReady() {
        for (Runnable task; (task = ready.poll()) != null;) {
            task.run();
        }
    }

    /** The delays of the tasks scheduled and not yet fired, in the order they were scheduled. */
    List<Duration> delays() {
        return delayed.stream().map(Delayed::delay).toList();
    }

    /** Fires every scheduled task as if its delay had passed, then runs what is ready. */
    void fireDelayed() {
        List<Delayed> due = List.copyOf(delayed);
        delayed.clear();
        due.forEach(d -> d.task().run());
        runReady();
    }
}
