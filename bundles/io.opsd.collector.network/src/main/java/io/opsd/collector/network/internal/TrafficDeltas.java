package io.opsd.collector.network.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.opsd.api.collector.CounterDeltas;

/**
 * The bytes each interface received and sent between two calls, and the monotonic time between them. Each
 * counter of each interface is compared on its own: one that went backwards (the interface was recreated, or a
 * 32-bit counter wrapped) or is new is left out of that interval instead of giving a negative or huge delta.
 */
final class TrafficDeltas {

    private final CounterDeltas<String> received = new CounterDeltas<>();
    private final CounterDeltas<String> sent = new CounterDeltas<>();
    private long previousNanos;
    private boolean hasPrevious;

    /** The interval since the previous call; null on the first call or when no time passed. */
    Interval update(long nanos, Collection<InterfaceCounters> interfaces) {
        double seconds = hasPrevious ? (nanos - previousNanos) / 1e9 : 0;
        previousNanos = nanos;
        hasPrevious = true;
        Map<String, Long> receivedBytes = new LinkedHashMap<>();
        Map<String, Long> sentBytes = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (InterfaceCounters counters : interfaces) {
            seen.add(counters.name());
            OptionalLong rx = received.delta(counters.name(), counters.receivedBytes());
            OptionalLong tx = sent.delta(counters.name(), counters.sentBytes());
            if (rx.isPresent()) {
                receivedBytes.put(counters.name(), rx.getAsLong());
            }
            if (tx.isPresent()) {
                sentBytes.put(counters.name(), tx.getAsLong());
            }
        }
        received.retainOnly(seen);
        sent.retainOnly(seen);
        return seconds > 0 ? new Interval(seconds, receivedBytes, sentBytes) : null;
    }

    /**
     * One interval.
     *
     * @param seconds its length
     * @param receivedBytes bytes received per interface, for the interfaces whose counter could be compared
     * @param sentBytes bytes sent per interface, likewise
     */
    record Interval(double seconds, Map<String, Long> receivedBytes, Map<String, Long> sentBytes) {
    }
}
