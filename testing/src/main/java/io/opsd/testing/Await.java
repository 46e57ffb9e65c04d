package io.opsd.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; never sleeps to synchronise. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Polls {@code done} every 20 ms; fails with what {@code seen} describes when {@code limit} passes first. */
    public static void until(Duration limit, BooleanSupplier done, Supplier<?> seen) {
        until(limit, POLL, done, seen);
    }

    /** As {@link #until(Duration, BooleanSupplier, Supplier)}, polling every {@code poll}, for costly conditions. */
    public static void until(Duration limit, Duration poll, BooleanSupplier done, Supplier<?> seen) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not reached within " + limit + ": " + seen.get());
            }
            LockSupport.parkNanos(poll.toNanos()); // poll interval of a bounded wait, not a synchronisation point
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for: " + seen.get());
            }
        }
    }
}
