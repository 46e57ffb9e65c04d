package io.opsd.bench.soak;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The soak's table of NMT's committed figures per part of the JVM. */
final class NativeMemoryTable {

    private NativeMemoryTable() {
    }

    /** NMT's committed MB per part: the first sample after the warm-up against the last. */
    static void print(List<Sample> all, Duration warmup) {
        Sample from = all.stream().filter(s -> s.seconds() >= warmup.toSeconds()).findFirst()
            .orElse(all.get(0));
        Sample to = all.get(all.size() - 1);
        Map<String, Double> a = Sample.nativeMemoryParts(from.nativeMemory());
        Map<String, Double> b = Sample.nativeMemoryParts(to.nativeMemory());
        System.out.printf("  native memory tracking, committed MB: %.0f s -> %.0f s%n", from.seconds(),
            to.seconds());
        System.out.printf("    %-28s %8.1f %8.1f%n", "total", from.nmtCommittedMb(), to.nmtCommittedMb());
        for (Map.Entry<String, Double> part : b.entrySet()) {
            double before = a.getOrDefault(part.getKey(), 0.0);
            if (before >= 0.05 || part.getValue() >= 0.05) {
                System.out.printf("    %-28s %8.1f %8.1f%n", part.getKey(), before, part.getValue());
            }
        }
    }
}
