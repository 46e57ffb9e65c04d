package io.opsd.simulator;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

final class Await {

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Await() {
    }

    static void until(Duration limit, BooleanSupplier done, Supplier<?> seen) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not reached within " + limit + ": " + seen.get());
            }
            LockSupport.parkNanos(POLL_NANOS); // poll interval of a bounded wait, not a synchronisation point
        }
    }
}
