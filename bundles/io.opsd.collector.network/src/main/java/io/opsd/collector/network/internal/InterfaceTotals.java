package io.opsd.collector.network.internal;

import java.util.Collection;

/** The counters of several interfaces added up, as gopsutil v3's {@code net.IOCounters(false)} adds them. */
record InterfaceTotals(int interfaces, long receivedBytes, long receivedPackets, long receiveErrors, long receiveDrops,
                       long sentBytes, long sentPackets, long sendErrors, long sendDrops) {

    static InterfaceTotals of(Collection<InterfaceCounters> counters) {
        long rxBytes = 0;
        long rxPackets = 0;
        long rxErrors = 0;
        long rxDrops = 0;
        long txBytes = 0;
        long txPackets = 0;
        long txErrors = 0;
        long txDrops = 0;
        for (InterfaceCounters c : counters) {
            rxBytes += c.receivedBytes();
            rxPackets += c.receivedPackets();
            rxErrors += c.receiveErrors();
            rxDrops += c.receiveDrops();
            txBytes += c.sentBytes();
            txPackets += c.sentPackets();
            txErrors += c.sendErrors();
            txDrops += c.sendDrops();
        }
        return new InterfaceTotals(counters.size(), rxBytes, rxPackets, rxErrors, rxDrops, txBytes, txPackets,
            txErrors, txDrops);
    }
}
