package io.opsd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.util.converter.Converters;

import io.opsd.api.collector.Collector;
import io.opsd.collector.cpu.internal.CpuCollector;
import io.opsd.collector.disk.internal.DiskCollector;
import io.opsd.collector.disk.internal.DiskCollectorConfig;
import io.opsd.collector.load.internal.LoadCollector;
import io.opsd.collector.memory.internal.MemoryCollector;
import io.opsd.collector.network.internal.NetworkCollector;
import io.opsd.collector.network.internal.NetworkCollectorConfig;
import io.opsd.host.internal.OshiHostInfo;

/**
 * CPU time of one full collection (the five built-in collectors, one after the other, on this thread), measured
 * with the thread CPU clock after a warm-up, outside any framework so nothing else is counted.
 * Usage: CollectBenchmark [warmup cycles] [measured cycles]
 */
public final class CollectBenchmark {

    private CollectBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        OshiHostInfo host = new OshiHostInfo();
        Map<String, Collector> collectors = new LinkedHashMap<>();
        collectors.put("cpu", new CpuCollector(host, props("cpu")));
        collectors.put("memory", new MemoryCollector(host, props("memory")));
        collectors.put("disk", new DiskCollector(host, config(DiskCollectorConfig.class), props("disk")));
        collectors.put("network", new NetworkCollector(host, config(NetworkCollectorConfig.class), props("network")));
        collectors.put("load", new LoadCollector(host, props("load")));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup; i++) {
            for (Collector c : collectors.values()) {
                c.collect();
            }
        }
        long[] full = new long[cycles];
        Map<String, long[]> each = new LinkedHashMap<>();
        collectors.keySet().forEach(n -> each.put(n, new long[cycles]));
        for (int i = 0; i < cycles; i++) {
            long cycleStart = threads.getCurrentThreadCpuTime();
            for (Map.Entry<String, Collector> e : collectors.entrySet()) {
                long start = threads.getCurrentThreadCpuTime();
                e.getValue().collect();
                each.get(e.getKey())[i] = threads.getCurrentThreadCpuTime() - start;
            }
            full[i] = threads.getCurrentThreadCpuTime() - cycleStart;
        }
        System.out.printf("warm-up cycles: %d, measured cycles: %d%n", warmup, cycles);
        System.out.printf("%-10s %10s %10s %10s%n", "collector", "median ms", "p90 ms", "mean ms");
        for (Map.Entry<String, long[]> e : each.entrySet()) {
            print(e.getKey(), e.getValue());
        }
        print("full cycle", full);
        double median = percentile(full, 50) / 1e6;
        System.out.printf("budget: at most 3 ms CPU per full cycle -> %s (median %.3f ms)%n",
            median <= 3.0 ? "PASS" : "MISS", median);
    }

    private static Map<String, Object> props(String name) {
        return Map.of("service.pid", "io.opsd.collector." + name);
    }

    private static <T> T config(Class<T> type) {
        return Converters.standardConverter().convert(Map.of()).to(type);
    }

    private static void print(String name, long[] nanos) {
        System.out.printf("%-10s %10.3f %10.3f %10.3f%n", name, percentile(nanos, 50) / 1e6, percentile(nanos, 90) / 1e6,
            Arrays.stream(nanos).average().orElse(0) / 1e6);
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
