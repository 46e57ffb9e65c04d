package io.opsd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger checks = new AtomicInteger();
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(1), () -> checks.incrementAndGet() >= 3,
            () -> "checked " + checks);
        assertEquals(3, checks.get());
    }

    @Test
    void failsAfterTheLimitSayingWhatWasSeen() {
        AssertionError e = assertThrows(AssertionError.class,
            () -> Await.until(Duration.ofMillis(50), () -> false, () -> "still 41"));
        assertEquals("not reached within PT0.05S: still 41", e.getMessage());
    }

    @Test
    void anInterruptEndsTheWait() {
        Thread.currentThread().interrupt();
        try {
            AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofSeconds(10), () -> false, () -> "never"));
            assertTrue(e.getMessage().startsWith("interrupted"), e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }
}
