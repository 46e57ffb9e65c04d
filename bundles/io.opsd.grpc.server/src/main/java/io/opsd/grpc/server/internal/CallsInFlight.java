package io.opsd.grpc.server.internal;

import java.time.Duration;

/** The calls that have started and not yet ended; a stop waits for them to be none, within a bound. */
final class CallsInFlight {

    private int count;

    synchronized void started() {
        count++;
    }

    synchronized void ended() {
        if (--count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until no call is in flight or {@code limit} has passed; returns how many are still running. */
    synchronized int awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (long left = limit.toNanos(); count > 0 && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return count;
    }
}
