package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Long> waits(Backoff backoff, int n) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.add(backoff.next().toMillis());
        }
        return waits;
    }

    @Test
    void waitsStartAtOneSecondAndDoubleUpToReconnectMax() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), n -> 0);
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L), waits(backoff, 6));
        assertEquals(Duration.ofSeconds(10), backoff.current());
    }

    @Test
    void jitterAddsUpToHalfTheBackoff() {
        Backoff backoff = new Backoff(Duration.ofSeconds(4), n -> n - 1);
        assertEquals(List.of(1_500L, 3_000L, 6_000L, 6_000L), waits(backoff, 4));
    }

    @Test
    void afterAResetTheWaitsStartFromOneSecondAgain() {
        Backoff backoff = new Backoff(Duration.ofMinutes(1), n -> 0);
        waits(backoff, 5);
        backoff.reset();
        assertEquals(Duration.ofSeconds(1), backoff.current());
        assertEquals(List.of(1_000L, 2_000L), waits(backoff, 2));
    }
}
