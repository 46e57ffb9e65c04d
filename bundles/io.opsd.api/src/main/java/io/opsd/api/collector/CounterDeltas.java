package io.opsd.api.collector;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Differences of cumulative counters between two collections, per key (a device, an interface, a CPU mode).
 * The first value of a key gives no difference; a value lower than the previous one (the counter was reset, or
 * a 32-bit counter wrapped) reseeds the key and gives no difference either, so a rate never goes negative and
 * never jumps by the size of the counter. Not thread-safe: one per collector, used from its collect calls, which
 * the engine never runs concurrently.
 */
public final class CounterDeltas<K> {

    private final Map<K, Long> last = new HashMap<>();

    public OptionalLong delta(K key, long value) {
        Long previous = last.put(key, value);
        if (previous == null || value < previous) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(value - previous);
    }

    /** Forgets keys not seen in the last collection (an interface that went away). */
    public void retainOnly(java.util.Set<K> seen) {
        last.keySet().retainAll(seen);
    }
}
