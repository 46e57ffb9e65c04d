package io.opsd.agent.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.opsd.api.store.ResourceSample;

/**
 * Watches each run of an agent at its health interval: samples its process tree, and finds it unhealthy when it
 * stays over a resource threshold, its heartbeats stop or a probe fails, healthy otherwise. Probes run on the
 * probe pool, one round at a time; they are built once per run and settings, since an HTTP probe holds an
 * HttpClient with a selector thread of its own, and let go when the run ends or the settings change. Confined to
 * the supervisor's serial executor, but for heartbeats.
 */
final class HealthWatch {

    /** The supervisor, as its health watch sees it. */
    interface Subject {
        /** Whether run {@code generation} is still the agent's current one, and RUNNING. */
        boolean running(long generation);

        /** Whether the current process is alive. */
        boolean alive();

        /** A sample of the process tree, for the store. */
        void sampled(ResourceSample sample);

        void healthy();

        void unhealthy(String reason);
    }

    private final AgentTimers timers;
    private final Executor probePool;
    private final ProcessTreeSampler sampler;
    private final Supplier<List<Supplier<ProbeResult>>> probeFactory;
    private final Subject subject;
    private AgentSettings.Health settings;
    /** made at the first run, from the settings of then */
    private ThresholdWatch thresholds;
    /** null until a check of this run and settings needs them */
    private List<Supplier<ProbeResult>> probes;
    private Future<?> ticks;
    private boolean probing;
    private volatile long lastHeartbeatNanos;

    /** @param probeFactory builds the probes the current settings ask for */
    HealthWatch(AgentTimers timers, Executor probePool, ProcessTreeSampler sampler,
                Supplier<List<Supplier<ProbeResult>>> probeFactory, Subject subject, AgentSettings.Health settings) {
        this.timers = timers;
        this.probePool = probePool;
        this.sampler = sampler;
        this.probeFactory = probeFactory;
        this.subject = subject;
        this.settings = settings;
    }

    /** Checks run {@code generation}, process {@code pid}, every health interval from now on. */
    void start(long generation, long pid) {
        sampler.reset();
        if (thresholds == null) {
            thresholds = new ThresholdWatch(settings.cpuThreshold(), settings.memoryThreshold(),
                settings.thresholdDuration());
        }
        thresholds.reset();
        probes = null;
        ticks = timers.every(settings.interval(), () -> check(generation, pid));
    }

    /** No more checks; a round of probes under way is let finish, and its result is for its run only. */
    void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
        probing = false;
        probes = null;
    }

    /** Applies new settings: the thresholds at once, the probes from the next check; the interval at a start. */
    void settings(AgentSettings.Health next) {
        settings = next;
        if (thresholds != null) {
            thresholds.limits(next.cpuThreshold(), next.memoryThreshold(), next.thresholdDuration());
        }
        probes = null;
    }

    /** A heartbeat of the agent, received at {@code nanos} (System.nanoTime); any thread. */
    void heartbeat(long nanos) {
        lastHeartbeatNanos = nanos;
    }

    private void check(long generation, long pid) {
        if (!subject.running(generation) || !subject.alive()) {
            return;
        }
        long sampledAtNanos = System.nanoTime();
        ResourceSample sample = sampler.sample(pid);
        subject.sampled(sample);
        // sample.time() is wall time, which jumps when the clock is set: a run over the limit is timed monotonically
        Optional<String> over = thresholds.observe(sampledAtNanos, sample.cpuPercent(), sample.rssBytes());
        if (over.isPresent()) {
            subject.unhealthy(over.get());
            return;
        }
        Optional<Duration> timeout = settings.heartbeatTimeout();
        if (timeout.isPresent()) {
            long silent = System.nanoTime() - lastHeartbeatNanos;
            if (silent > timeout.get().toNanos()) {
                subject.unhealthy("no heartbeat for " + Duration.ofNanos(silent).toSeconds() + " s (timeout "
                    + timeout.get().toSeconds() + " s)");
                return;
            }
        }
        if (probes == null) {
            probes = probeFactory.get();
        }
        if (probes.isEmpty()) {
            subject.healthy();
        } else if (!probing) {
            probing = true;
            probe(generation, probes);
        }
    }

    /** Runs the probes in order, up to the first that fails, and tells the result if the run is still current. */
    private void probe(long generation, List<Supplier<ProbeResult>> round) {
        probePool.execute(() -> {
            Optional<ProbeResult> failed = round.stream().map(Supplier::get).filter(r -> !r.healthy()).findFirst();
            timers.execute(() -> {
                probing = false;
                if (!subject.running(generation)) {
                    return;
                }
                if (failed.isEmpty()) {
                    subject.healthy();
                } else {
                    subject.unhealthy(failed.get().detail());
                }
            });
        });
    }
}
