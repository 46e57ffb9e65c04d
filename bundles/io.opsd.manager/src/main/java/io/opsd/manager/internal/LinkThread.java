package io.opsd.manager.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.concurrent.DaemonThreads;

/** The {@link LinkLoop} on a daemon thread named {@code opsd-manager-link}. */
final class LinkThread implements LinkLoop {

    // the link's lines keep the logger name operators know and set levels by
    private static final Logger LOG = LoggerFactory.getLogger(ManagerLink.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
        DaemonThreads.named("opsd-manager-link"));

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Manager link stopping: a callback is dropped");
        }
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
        try {
            executor.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Manager link stopping: a callback is dropped");
        }
    }

    @Override
    public void every(Duration interval, Runnable task) {
        executor.scheduleAtFixedRate(guarded(task), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the thread and waits (bounded) for the task it runs, so the link's state can be read afterwards. */
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Manager link: a task failed", e);
            }
        };
    }
}
