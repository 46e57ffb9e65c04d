package io.opsd.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void durationsTakeEveryUnitAndCombinations() {
        assertEquals(Duration.ofMillis(500), ConfigValues.duration("500ms"));
        assertEquals(Duration.ofSeconds(30), ConfigValues.duration(" 30s "));
        assertEquals(Duration.ofMinutes(5), ConfigValues.duration("5m"));
        assertEquals(Duration.ofHours(1), ConfigValues.duration("1h"));
        assertEquals(Duration.ofDays(2), ConfigValues.duration("2d"));
        assertEquals(Duration.ofSeconds(90), ConfigValues.duration("1m30s"));
    }

    @Test
    void badDurationsSayWhatIsAllowed() {
        for (String bad : new String[] {"", "30", "s", "-5s", "5 s", "1.5s", "5sec", "99999999999999999999s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigValues.duration(bad),
                bad);
            assertTrue(e.getMessage().contains("duration"), e.getMessage());
        }
    }

    @Test
    void sizesTakeBinaryAndDecimalUnits() {
        assertEquals(64 * 1024, ConfigValues.size("64KiB"));
        assertEquals(100L * 1024 * 1024, ConfigValues.size("100MiB"));
        assertEquals(2L << 30, ConfigValues.size("2GiB"));
        assertEquals(1_000_000, ConfigValues.size("1MB"));
        assertEquals(42, ConfigValues.size("42"));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.size("1.5MiB"));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.size("-1"));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.size("9999999999TiB"));
    }

    @Test
    void listsSplitSingleElementsOnCommas() {
        assertEquals(List.of("/", "/data"), ConfigValues.list(new String[] {" /, /data ,"}));
        assertEquals(List.of("a", "b", "c"), ConfigValues.list(new String[] {"a,b", "c"}));
        assertEquals(List.of(), ConfigValues.list(null));
    }

    @Test
    void keyValuesKeepOrderAndRejectMalformedPairs() {
        assertEquals(List.of("site", "rack"),
            List.copyOf(ConfigValues.keyValues(new String[] {"site=lab, rack=r1"}).keySet()));
        assertEquals(Map.of("empty", ""), ConfigValues.keyValues(new String[] {"empty="}));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.keyValues(new String[] {"novalue"}));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.keyValues(new String[] {"=x"}));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.keyValues(new String[] {"a b=x"}));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.keyValues(new String[] {"a=1,a=2"}));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.keyValues(new String[] {"a=b=c"}));
    }
}
