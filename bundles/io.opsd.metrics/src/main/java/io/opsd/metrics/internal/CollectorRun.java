package io.opsd.metrics.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;

/**
 * One scheduled collector: its ticks on the timer, its collections on the worker pool (never two at once), the
 * timeout of each, and what came of them. A failure is logged when it starts and when it clears, not at every tick.
 */
final class CollectorRun {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorRun.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String name;
    private final Collector collector;
    private final ScheduledExecutorService timer;
    private final CollectionPool workers;
    private final Clock clock;
    private final LongSupplier nanoClock;

    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();

    private volatile CollectorSchedule schedule;
    private volatile Instant scheduledSince;
    private volatile MetricSet latest;
    /** monotonic time {@link #latest} was stored: its age decides staleness, not its wall-clock stamp */
    private volatile long latestAtNanos;
    private volatile String lastError;
    private volatile boolean lastFailed;
    private volatile Duration lastDuration = Duration.ZERO;
    private ScheduledFuture<?> ticks;
    private Future<?> inFlight;

    CollectorRun(String name, Collector collector, CollectorSchedule schedule, ScheduledExecutorService timer,
                 CollectionPool workers, Clock clock, LongSupplier nanoClock) {
        this.name = name;
        this.collector = collector;
        this.schedule = schedule;
        this.timer = timer;
        this.workers = workers;
        this.clock = clock;
        this.nanoClock = nanoClock;
    }

    String name() {
        return name;
    }

    CollectorSchedule schedule() {
        return schedule;
    }

    synchronized void start() {
        scheduledSince = clock.instant();
        if (schedule.enabled()) {
            long period = schedule.interval().toNanos();
            ticks = timer.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
            LOG.info("collector {} runs every {} ms (timeout {} ms)", name, schedule.interval().toMillis(),
                schedule.timeout().toMillis());
        } else {
            LOG.info("collector {} is disabled", name);
        }
    }

    /** Applies a new schedule: only this collector is rescheduled, and only if the schedule changed. */
    synchronized boolean reschedule(CollectorSchedule next) {
        if (next.equals(schedule)) {
            return false;
        }
        stop();
        schedule = next;
        if (!next.enabled()) {
            latest = null;
            lastError = null;
            lastFailed = false;
        }
        start();
        return true;
    }

    synchronized void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
        if (inFlight != null) {
            inFlight.cancel(true);
            inFlight = null;
        }
    }

    private synchronized void tick() {
        if (inFlight != null && !inFlight.isDone()) {
            skipped.incrementAndGet();
            return;
        }
        try {
            Future<?> f = workers.submit(this::collectOnce);
            inFlight = f;
            timer.schedule(() -> checkTimeout(f), schedule.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            skipped.incrementAndGet(); // the pool is stopping, or every thread is held by a hung collector
        }
    }

    private void collectOnce() {
        collections.incrementAndGet();
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        try {
            MetricSet set = collector.collect();
            if (set == null) {
                throw new IllegalStateException("collect() returned null");
            }
            latestAtNanos = nanoClock.getAsLong();
            latest = set;
            lastError = null;
            if (lastFailed) {
                lastFailed = false;
                LOG.info("collector {} works again", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            errors.incrementAndGet();
            fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            lastDuration = Duration.ofNanos(System.nanoTime() - start);
            cpuNanos.addAndGet(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuStart));
        }
    }

    private void checkTimeout(Future<?> f) {
        if (!f.isDone()) {
            timeouts.incrementAndGet();
            workers.timedOut(f);
            fail("timed out after " + schedule.timeout().toMillis() + " ms");
            f.cancel(true);
        }
    }

    private void fail(String why) {
        lastError = why;
        if (!lastFailed) {
            lastFailed = true;
            LOG.warn("collector {} failed: {}; its last sample is kept and marked stale", name, why);
        }
    }

    /** CPU time spent in this collector's collections since it was scheduled. */
    Duration cpuTime() {
        return Duration.ofNanos(cpuNanos.get());
    }

    CollectorStatus status() {
        MetricSet set = latest;
        long age = nanoClock.getAsLong() - latestAtNanos;
        CollectorSchedule s = schedule;
        Duration freshFor = s.interval().multipliedBy(2).plus(s.timeout());
        boolean stale = s.enabled() && (lastFailed || set == null || age > freshFor.toNanos());
        return new CollectorStatus(name, s, Optional.ofNullable(set), stale, Optional.ofNullable(lastError),
            lastDuration, collections.get(), errors.get(), timeouts.get(), skipped.get(), scheduledSince, cpuTime());
    }
}
