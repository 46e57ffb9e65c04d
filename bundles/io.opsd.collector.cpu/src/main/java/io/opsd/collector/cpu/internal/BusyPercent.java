package io.opsd.collector.cpu.internal;

import java.util.OptionalDouble;

/**
 * The old daemon's {@code usage_percent}: gopsutil v3's {@code cpu.Percent} between the previous call and this
 * one, instead of over a second of sleep. Not thread-safe; the engine never runs two collections at once.
 */
final class BusyPercent {

    private CpuTimes previous;

    /** Busy share of the interval since the previous call, in percent; empty on the first call. */
    OptionalDouble update(CpuTimes now) {
        CpuTimes before = previous;
        previous = now;
        if (before == null) {
            return OptionalDouble.empty();
        }
        long busy = now.busy() - before.busy();
        long total = now.total() - before.total();
        if (busy <= 0) {
            return OptionalDouble.of(0);
        }
        if (total <= 0) {
            return OptionalDouble.of(100);
        }
        return OptionalDouble.of(Math.min(100, Math.max(0, 100.0 * busy / total)));
    }
}
