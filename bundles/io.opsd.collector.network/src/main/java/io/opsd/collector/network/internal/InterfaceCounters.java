package io.opsd.collector.network.internal;

/** The counters of one interface in {@code /proc/net/dev}, cumulative since the interface was created. */
record InterfaceCounters(String name, long receivedBytes, long receivedPackets, long receiveErrors,
                         long receiveDrops, long sentBytes, long sentPackets, long sendErrors, long sendDrops) {
}
