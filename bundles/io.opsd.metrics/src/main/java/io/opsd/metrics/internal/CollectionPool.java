package io.opsd.metrics.internal;

import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads collections run on: {@code size} of them, plus one for each collection that overran its timeout and
 * still holds its thread. Collections that tick together queue behind each other (they take well under a
 * millisecond), so an idle node keeps only {@code size} threads; a hung collector never delays the others for
 * longer than its timeout, since its thread is then replaced until it returns.
 */
final class CollectionPool {

    private final ThreadPoolExecutor threads;
    private int size;
    private int hung;

    CollectionPool(int size, ThreadFactory factory) {
        this.size = size;
        this.threads = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    }

    Future<?> submit(Runnable collection) {
        Collection task = new Collection(collection);
        threads.execute(task);
        return task;
    }

    /** Called at a collection's timeout: if it still runs, its thread is replaced while it does. */
    void timedOut(Future<?> future) {
        if (future instanceof Collection task && task.markHung()) {
            changeHung(+1);
        }
    }

    synchronized void resize(int newSize) {
        size = newSize;
        apply();
    }

    /** Threads the pool keeps now: the configured size plus the hung collections'. */
    synchronized int threadsKept() {
        return size + hung;
    }

    void shutdownNow() {
        threads.shutdownNow();
    }

    private synchronized void changeHung(int delta) {
        hung += delta;
        apply();
    }

    private void apply() {
        int kept = size + hung;
        // the order keeps core <= maximum at every step
        if (kept > threads.getMaximumPoolSize()) {
            threads.setMaximumPoolSize(kept);
            threads.setCorePoolSize(kept);
        } else {
            threads.setCorePoolSize(kept);
            threads.setMaximumPoolSize(kept);
        }
    }

    /** A collection that knows whether it is running, and whether it overran its timeout while it did. */
    private final class Collection extends FutureTask<Void> {

        private boolean running;
        private boolean finished;
        private boolean hung;

        Collection(Runnable collection) {
            super(collection, null);
        }

        @Override
        public void run() {
            synchronized (this) {
                running = true;
            }
            try {
                super.run();
            } finally {
                boolean wasHung;
                synchronized (this) {
                    finished = true;
                    wasHung = hung;
                }
                if (wasHung) {
                    changeHung(-1);
                }
            }
        }

        /** True once, when the collection is still on its thread at its timeout. */
        synchronized boolean markHung() {
            if (running && !finished && !hung) {
                hung = true;
                return true;
            }
            return false;
        }
    }
}
