package io.opsd.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsd.api.store.ResourceSample;

class ResourceRingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static ResourceSample at(long seconds) {
        return new ResourceSample(T0.plusSeconds(seconds), seconds, seconds, 0, 0, 0, 0, 0);
    }

    @Test
    void keepsTheNewestPointsWhenFull() {
        ResourceRing ring = new ResourceRing(5);
        for (int i = 0; i < 12; i++) {
            ring.add(at(i), T0.plusSeconds(i), DAY);
        }
        assertEquals(List.of(7.0, 8.0, 9.0, 10.0, 11.0), ring.all().stream().map(ResourceSample::cpuPercent).toList());
    }

    @Test
    void dropsWhatIsOlderThanTheRetention() {
        ResourceRing ring = new ResourceRing(100);
        for (int i = 0; i < 10; i++) {
            ring.add(at(i * 60L), T0.plusSeconds(i * 60L), Duration.ofMinutes(3));
        }
        assertEquals(List.of(360.0, 420.0, 480.0, 540.0), ring.all().stream().map(ResourceSample::cpuPercent).toList());
    }

    @Test
    void aWindowHoldsExactlyItsSamplesAcrossTheWrap() {
        ResourceRing ring = new ResourceRing(8);
        for (int i = 0; i < 20; i++) {
            ring.add(at(i * 10L), T0.plusSeconds(i * 10L), DAY);
        }
        List<ResourceSample> w = ring.window(T0.plusSeconds(135), T0.plusSeconds(170));
        assertEquals(List.of(140.0, 150.0, 160.0, 170.0), w.stream().map(ResourceSample::cpuPercent).toList());
        assertEquals(0, ring.window(T0.plusSeconds(500), T0.plusSeconds(600)).size());
        assertEquals(8, ring.window(T0, T0.plusSeconds(1000)).size());
    }

    @Test
    void aClockGoingBackKeepsTheOrder() {
        ResourceRing ring = new ResourceRing(10);
        ring.add(at(100), T0.plusSeconds(100), DAY);
        ring.add(at(50), T0.plusSeconds(100), DAY);
        assertEquals(List.of(T0.plusSeconds(100), T0.plusSeconds(100)),
            ring.all().stream().map(ResourceSample::time).toList());
    }

    @Test
    void resizingKeepsTheNewest() {
        ResourceRing ring = new ResourceRing(10);
        for (int i = 0; i < 10; i++) {
            ring.add(at(i), T0.plusSeconds(i), DAY);
        }
        ring.resize(3);
        assertEquals(List.of(7.0, 8.0, 9.0), ring.all().stream().map(ResourceSample::cpuPercent).toList());
    }
}
