package io.opsd.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.StoreStatus;

/**
 * The store under heartbeats: how many updates per second the memory path takes, and how many files per second
 * it writes at steady state (which should be agents / flush interval, whatever the heartbeat rate).
 * In this package because the store's test constructor is package-private. Usage:
 * StoreBenchmark [agents] [threads] [memory seconds] [steady seconds] [steady heartbeats/s] [flush interval ms]
 */
public final class StoreBenchmark {

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int memorySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int steadySeconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int steadyRate = args.length > 4 ? Integer.parseInt(args[4]) : 2_000;
        long flushMillis = args.length > 5 ? Long.parseLong(args[5]) : 1_000;
        Path dir = Files.createTempDirectory("opsd-bench-store");
        FileMetadataStore store = new FileMetadataStore(dir, new StoreSettings(Duration.ofHours(24), 1440,
            Duration.ofMillis(flushMillis), Duration.ofSeconds(60)), Clock.systemUTC());
        System.out.printf("agents %d, threads %d, flush interval %d ms, directory %s%n", agents, threads, flushMillis,
            dir);

        // memory path: as many heartbeats as the threads can apply
        LongAdder applied = new LongAdder();
        long memoryDeadline = System.nanoTime() + Duration.ofSeconds(memorySeconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            running.add(pool.submit(() -> {
                for (long i = offset; System.nanoTime() - memoryDeadline < 0; i += threads) {
                    Instant now = Instant.now();
                    store.update("agent-" + (i % agents), AgentPatch.builder().heartbeat(now, now, "ok")
                        .reported(i % 100, i).build());
                    applied.increment();
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        System.out.printf("memory path: %,d updates in %d s = %,.0f updates/s (%d threads)%n", applied.sum(),
            memorySeconds, applied.sum() / (double) memorySeconds, threads);
        store.flush(Duration.ofSeconds(30));

        // steady state: a fixed heartbeat rate spread over the agents; count the files written
        StoreStatus before = store.status();
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / steadyRate;
        long sent = 0;
        long end = start + Duration.ofSeconds(steadySeconds).toNanos();
        for (long next = start; next - end < 0; next += periodNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing of the load loop, bounded by the run time
            }
            Instant now = Instant.now();
            store.update("agent-" + (sent % agents), AgentPatch.builder().heartbeat(now, now, "ok").build());
            sent++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StoreStatus after = store.status();
        double writesPerSecond = (after.writes() - before.writes()) / seconds;
        System.out.printf("steady state: %,d heartbeats in %.1f s = %,.0f/s; %,d files written = %.1f writes/s"
            + " (expected agents / flush interval = %.1f/s)%n", sent, seconds, sent / seconds,
            after.writes() - before.writes(), writesPerSecond, agents / (flushMillis / 1000.0));
        store.deactivate();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
