package io.opsd.grpc.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void readsWhatGosParseDurationReads() {
        assertEquals(Duration.ofSeconds(30), GoDuration.parsePositive("30s"));
        assertEquals(Duration.ofMinutes(1), GoDuration.parsePositive("1m"));
        assertEquals(Duration.ofMillis(500), GoDuration.parsePositive("500ms"));
        assertEquals(Duration.ofSeconds(90), GoDuration.parsePositive("1m30s"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parsePositive("1.5h"));
        assertEquals(Duration.ofMillis(1500), GoDuration.parsePositive("1.5s"));
        assertEquals(Duration.ofNanos(2_000_003), GoDuration.parsePositive("2ms3ns"));
        assertEquals(Duration.ofMillis(2), GoDuration.parsePositive("2000us"));
        assertEquals(Duration.ofMillis(2), GoDuration.parsePositive("2000µs"));
    }

    @Test
    void refusesAnythingElseAndZero() {
        for (String bad : List.of("", "30", "s", "30 s", "-1s", "1d", "1m-", "abc", "1.2.3s", "+5s")) {
            assertThrows(IllegalArgumentException.class, () -> GoDuration.parsePositive(bad), bad);
        }
        assertEquals("the timeout must be more than 0, not \"0ms\"",
            assertThrows(IllegalArgumentException.class, () -> GoDuration.parsePositive("0ms")).getMessage());
    }
}
