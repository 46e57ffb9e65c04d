package io.opsd.collector.disk.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import io.opsd.api.collector.CounterDeltas;

/**
 * Bytes per second read and written, summed over devices, from the difference of the counters between two
 * calls and the monotonic time between them. Deltas are taken per device: a device whose counters went
 * backwards (or that is new) is left out of that one sum instead of making it negative or huge.
 */
final class IoRates {

    private final CounterDeltas<String> reads = new CounterDeltas<>();
    private final CounterDeltas<String> writes = new CounterDeltas<>();
    private long previousNanos;
    private boolean hasPrevious;

    /**
     * The rates since the previous call; null on the first call, when no time passed, or when no device has
     * two comparable samples.
     */
    Rates update(long nanos, Collection<DiskStats.Device> devices) {
        double seconds = hasPrevious ? (nanos - previousNanos) / 1e9 : 0;
        previousNanos = nanos;
        hasPrevious = true;
        long read = 0;
        long written = 0;
        boolean compared = false;
        Set<String> seen = new HashSet<>();
        for (DiskStats.Device device : devices) {
            seen.add(device.name());
            OptionalLong readDelta = reads.delta(device.name(), device.readBytes());
            OptionalLong writtenDelta = writes.delta(device.name(), device.writtenBytes());
            if (readDelta.isPresent() && writtenDelta.isPresent()) {
                read += readDelta.getAsLong();
                written += writtenDelta.getAsLong();
                compared = true;
            }
        }
        reads.retainOnly(seen);
        writes.retainOnly(seen);
        return compared && seconds > 0 ? new Rates(read / seconds, written / seconds) : null;
    }

    /** Bytes per second over one interval, all devices together. */
    record Rates(double readBytesPerSecond, double writtenBytesPerSecond) {
    }
}
