package io.opsd.bench.node;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits on a condition: never a sleep that hopes the condition has come true. */
public final class Await {

    private Await() {
    }

    /** Polls every 20 ms; returns the time it took, or throws naming what was seen when {@code limit} passes. */
    public static Duration until(Duration limit, BooleanSupplier done, Supplier<String> seen) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("not reached within " + limit.toMillis() + " ms: " + seen.get());
            }
            LockSupport.parkNanos(20_000_000L);
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted");
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
