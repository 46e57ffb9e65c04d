package io.opsd.collector.cpu.internal;

import java.io.IOException;

import io.opsd.host.ProcFields;

/**
 * The first line of {@code /proc/stat}: the time all CPUs together spent in each mode since boot, in ticks of
 * USER_HZ. {@code user} and {@code nice} already include {@code guest} and {@code guestNice}.
 */
record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal,
                long guest, long guestNice) {

    /** USER_HZ: 100 on every current Linux architecture, and the old daemon's ClocksPerSec. */
    static final double TICKS_PER_SECOND = 100;

    private static final int FIELDS = 11;

    /**
     * Parses the {@code cpu} line of {@code text} (the whole file or its first line). Modes an old kernel does not
     * have (steal before 2.6.11, guest before 2.6.24, guest_nice before 2.6.33) count 0.
     */
    static CpuTimes parse(String text) throws IOException {
        int lineEnd = text.indexOf('\n');
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        int[] starts = new int[FIELDS];
        int[] ends = new int[FIELDS];
        int count = ProcFields.split(text, 0, lineEnd, starts, ends);
        if (count < 8 || !"cpu".equals(text.substring(starts[0], ends[0]))) {
            throw new IOException("stat does not start with a cpu line of at least 7 numbers: "
                + text.substring(0, Math.min(lineEnd, 80)));
        }
        long[] t = new long[FIELDS - 1];
        try {
            for (int i = 1; i < count; i++) {
                t[i - 1] = Long.parseLong(text, starts[i], ends[i], 10);
            }
        } catch (NumberFormatException e) {
            throw new IOException("stat has a cpu line that is not numbers: " + text.substring(0, lineEnd), e);
        }
        return new CpuTimes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9]);
    }

    /** The eight modes of {@link CpuTicks#MODES}, in its order. */
    long[] modes() {
        return new long[] {user, nice, system, idle, iowait, irq, softirq, steal};
    }

    /**
     * gopsutil v3's total on Linux: every mode but guest and guest_nice, which user and nice already hold.
     */
    long total() {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }

    /** gopsutil v3's busy: total less idle and iowait. */
    long busy() {
        return total() - idle - iowait;
    }

    static double seconds(long ticks) {
        return ticks / TICKS_PER_SECOND;
    }
}
