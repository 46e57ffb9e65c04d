package io.opsd.collector.cpu.internal;

import io.opsd.api.collector.CounterDeltas;

/**
 * Turns successive cumulative CPU times by mode (in the order of {@link #MODES}, in any one unit) into shares of
 * the interval between two calls: opsd's per-mode {@code *_percent} keys and its busy ratio on /metrics. The first
 * call, and a call after a counter went backwards, give no shares.
 */
final class CpuTicks {

    static final int USER = 0;
    static final int NICE = 1;
    static final int SYSTEM = 2;
    static final int IDLE = 3;
    static final int IOWAIT = 4;
    static final int IRQ = 5;
    static final int SOFTIRQ = 6;
    static final int STEAL = 7;
    static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};

    private final CounterDeltas<Integer> deltas = new CounterDeltas<>();

    /** Shares of the interval by mode, 0 to 1; empty when there is no previous sample to compare with. */
    Shares update(long[] ticks) {
        long[] d = new long[MODES.length];
        boolean complete = true;
        long total = 0;
        for (int mode = 0; mode < MODES.length; mode++) {
            var delta = deltas.delta(mode, mode < ticks.length ? ticks[mode] : 0);
            if (delta.isEmpty()) {
                complete = false;
            } else {
                d[mode] = delta.getAsLong();
                total += d[mode];
            }
        }
        return complete && total > 0 ? new Shares(d, total) : null;
    }

    /** The share of each mode over one interval. */
    static final class Shares {
        private final long[] delta;
        private final long total;

        Shares(long[] delta, long total) {
            this.delta = delta;
            this.total = total;
        }

        double of(int mode) {
            return (double) delta[mode] / total;
        }

        /** Busy: everything but idle and iowait (the CPU waited, it did not work). */
        double busy() {
            return 1.0 - of(IDLE) - of(IOWAIT);
        }
    }

}
