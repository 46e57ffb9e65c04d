package io.opsd.collector.network.internal;

import java.util.ArrayList;
import java.util.List;

import io.opsd.host.ProcFields;

/** Parses {@code /proc/net/dev}: the counters of every interface, in the kernel's order. */
final class NetDev {

    // after "name:", receive: bytes packets errs drop fifo frame compressed multicast, then transmit: the same
    private static final int FIELDS = 12;
    private static final int SENT = 8;

    private NetDev() {
    }

    /**
     * Every interface of {@code text}; the two header lines and lines of another shape are skipped. All are parsed,
     * excluded ones too: the Manager's totals count every interface, as the old daemon did.
     */
    static List<InterfaceCounters> parse(String text) {
        List<InterfaceCounters> interfaces = new ArrayList<>();
        // scanned by hand: a regular expression split costs a microsecond a line
        int[] starts = new int[FIELDS];
        int[] ends = new int[FIELDS];
        ProcFields.forEachLine(text, (from, to) -> {
            int colon = text.indexOf(':', from);
            if (colon >= 0 && colon < to) {
                String name = text.substring(from, colon).trim();
                if (ProcFields.split(text, colon + 1, to, starts, ends) == FIELDS) {
                    try {
                        interfaces.add(new InterfaceCounters(name, number(text, 0, starts, ends),
                            number(text, 1, starts, ends), number(text, 2, starts, ends), number(text, 3, starts, ends),
                            number(text, SENT, starts, ends), number(text, SENT + 1, starts, ends),
                            number(text, SENT + 2, starts, ends), number(text, SENT + 3, starts, ends)));
                    } catch (NumberFormatException e) {
                        // not a counter line: skipped
                    }
                }
            }
        });
        return interfaces;
    }

    private static long number(String text, int field, int[] starts, int[] ends) {
        return Long.parseLong(text, starts[field], ends[field], 10);
    }
}
