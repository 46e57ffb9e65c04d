package io.opsd.api.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricSetTest {

    @Test
    void keepsValuesInOrderAndDropsNonFiniteNumbers() {
        MetricSet set = MetricSet.builder("disk", Instant.EPOCH).value("total_bytes", 10).value("nan", Double.NaN)
            .gauge("used_bytes", "Bytes used", 4, "mountpoint", "/").build();
        assertEquals(Map.of("total_bytes", 10.0), set.values());
        assertEquals(Map.of("mountpoint", "/"), set.samples().get(0).labels());
    }

    @Test
    void rejectsNamesPrometheusCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> MetricSet.builder("Disk", Instant.EPOCH));
        assertThrows(IllegalArgumentException.class,
            () -> MetricSet.builder("disk", Instant.EPOCH).gauge("used-bytes", "x", 1));
        assertThrows(IllegalArgumentException.class,
            () -> MetricSet.builder("disk", Instant.EPOCH).gauge("used", "x", 1, "odd"));
    }

    @Test
    void aScheduleRefusesIntervalsTooShortToBeSane() {
        assertThrows(IllegalArgumentException.class,
            () -> new CollectorSchedule(true, java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(1)));
    }
}
