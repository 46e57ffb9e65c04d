package io.opsd.grpc.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CallsInFlightTest {

    @Test
    void aStopWaitsForTheLastCallAndNoLonger() throws Exception {
        CallsInFlight calls = new CallsInFlight();
        assertEquals(0, calls.awaitNone(Duration.ofSeconds(10)), "none: at once");
        calls.started();
        calls.started();
        Thread ender = new Thread(() -> {
            calls.ended();
            calls.ended();
        });
        ender.start();
        assertEquals(0, calls.awaitNone(Duration.ofSeconds(10)), "woken by the last call's end");
        ender.join();

        calls.started();
        long start = System.nanoTime();
        assertEquals(1, calls.awaitNone(Duration.ofMillis(200)), "a call outliving the grace is reported");
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos(), "the whole grace was given");
    }
}
