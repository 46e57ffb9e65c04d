package io.opsd.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One kind of churn: {@code count} cycles spread evenly over a window, each cycle waiting on its own conditions
 * with deadlines. A failed cycle is recorded and the next one still runs; the figures are the time each cycle's
 * change took to be applied.
 */
final class Loop implements Runnable {

    interface Cycle {
        /** Runs cycle {@code i} and returns how long its change took to be seen applied. */
        Duration run(int i) throws Exception;
    }

    final String name;
    private final int count;
    private final long startNanos;
    private final long windowNanos;
    private final Cycle cycle;
    private final List<Duration> applied = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile int done;
    private volatile boolean stopped;

    Loop(String name, int count, long startNanos, Duration window, Cycle cycle) {
        this.name = name;
        this.count = count;
        this.startNanos = startNanos;
        this.windowNanos = window.toNanos();
        this.cycle = cycle;
    }

    @Override
    public void run() {
        for (int i = 0; i < count && !stopped; i++) {
            long due = startNanos + windowNanos * i / count;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing: cycles are spread over the run, not a wait for a condition
            }
            if (stopped) {
                break;
            }
            try {
                applied.add(cycle.run(i));
            } catch (Exception | AssertionError e) {
                failures.add(name + " cycle " + (i + 1) + ": " + e.getMessage());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            done = i + 1;
        }
    }

    void stop() {
        stopped = true;
    }

    int count() {
        return count;
    }

    int done() {
        return done;
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** "n cycles of N; applied in median X ms, p95 Y ms, max Z ms" */
    String summary() {
        List<Long> ms;
        synchronized (applied) {
            ms = applied.stream().map(Duration::toMillis).sorted().toList();
        }
        String figures = ms.isEmpty() ? "no cycle completed" : String.format(
            "applied in median %d ms, p95 %d ms, max %d ms", ms.get(ms.size() / 2),
            ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.95) - 1)), ms.get(ms.size() - 1));
        return String.format("%-24s %3d of %3d cycles, %d failed; %s", name, done, count, failures().size(),
            figures);
    }
}
