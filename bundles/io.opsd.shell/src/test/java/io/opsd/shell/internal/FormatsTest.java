package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void instantsAreIsoUtcToTheSecond() {
        assertEquals("2024-05-01T10:00:07Z", Formats.instant(Optional.of(Instant.parse("2024-05-01T10:00:07.912Z"))));
        assertEquals("-", Formats.instant(Optional.empty()));
    }

    @Test
    void durationsAreShort() {
        assertEquals("250ms", Formats.duration(Duration.ofMillis(250)));
        assertEquals("0ms", Formats.duration(Duration.ofMillis(-5)));
        assertEquals("10s", Formats.duration(Duration.ofMillis(10_900)));
        assertEquals("1m", Formats.duration(Duration.ofSeconds(60)));
        assertEquals("2m05s", Formats.duration(Duration.ofSeconds(125)));
        assertEquals("1h", Formats.duration(Duration.ofHours(1)));
        assertEquals("1h30m", Formats.duration(Duration.ofMinutes(90)));
        assertEquals("3d04h", Formats.duration(Duration.ofHours(76)));
    }

    @Test
    void numbersAreExactAndNeverInExponentNotation() {
        assertEquals("12.5", Formats.number(12.5));
        assertEquals("0", Formats.number(0.0));
        assertEquals("1048576", Formats.number(1048576.0));
        assertEquals("100000000000000000000", Formats.number(1e20));
        assertEquals("0.000123", Formats.number(0.000123));
    }
}
