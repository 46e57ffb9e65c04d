package io.opsd.api.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for executors: daemon threads, named for what they do. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... in the order they start. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger started = new AtomicInteger();
        return task -> daemon(task, prefix + "-" + started.incrementAndGet());
    }

    /** Daemon threads all named {@code name}: for an executor of one thread. */
    public static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
