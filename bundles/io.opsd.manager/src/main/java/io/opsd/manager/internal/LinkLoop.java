package io.opsd.manager.internal;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The one thread of the Manager link: its state is touched on this thread only, so none of it needs a lock. A
 * task that throws is logged, never lost silently; once the loop is stopping, new tasks are dropped.
 */
interface LinkLoop extends Executor {

    /** Runs {@code task} soon; also the executor of every answer from the Manager. */
    @Override
    void execute(Runnable task);

    /** Runs {@code task} once, {@code delay} from now. */
    void schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code interval}, the first time one interval from now. */
    void every(Duration interval, Runnable task);
}
