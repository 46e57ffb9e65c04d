package io.opsd.heartbeat.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.MetadataStore;

/**
 * Accepted heartbeats wait in a bounded queue for the workers that apply them to the store and to the agent's
 * heartbeat timeout. The bound is an admission count, so the queue size and the workers change at run time
 * without losing what is queued. Stopping refuses new heartbeats, then drains the queue into the store.
 *
 * <p>A worker, once woken, drains the queue until it is empty; a request thread wakes another worker only while
 * the queue holds more than {@value #HEARTBEATS_PER_WORKER} heartbeats per running worker. Under load one worker keeps up without a thread hand-off per heartbeat
 * (a wake-up per heartbeat cost a tenth of the node's CPU on two cores).
 */
@Component(configurationPid = "io.opsd.heartbeat", service = HeartbeatReceiver.class, immediate = true)
@Designate(ocd = HeartbeatConfig.class)
public final class HeartbeatReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatReceiver.class);
    private static final long DRAIN_LIMIT_MILLIS = 10_000;
    /** Queue depth per running worker before another is woken: a heartbeat takes microseconds to apply. */
    private static final int HEARTBEATS_PER_WORKER = 64;
    /** How long a worker that found work waits for more before it sleeps until woken. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** What became of a heartbeat that passed validation. */
    enum Admission { QUEUED, FULL, STOPPED }

    private final MetadataStore store;
    private final AgentManager agents;
    private final ThreadPoolExecutor workers;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger draining = new AtomicInteger();
    private final AtomicInteger admitting = new AtomicInteger();
    private final LongAdder received = new LongAdder();
    private final LongAdder processed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final AtomicReference<Instant> lastReceived = new AtomicReference<>();
    private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    private volatile ReceiverSettings settings;
    private volatile boolean stopping;

    @Activate
    public HeartbeatReceiver(@Reference(name = "store") MetadataStore store,
                             @Reference(name = "agents") AgentManager agents, HeartbeatConfig config,
                             Map<String, Object> props) {
        this(store, agents, ReceiverSettings.of(config, props));
    }

    HeartbeatReceiver(MetadataStore store, AgentManager agents, ReceiverSettings settings) {
        this.store = store;
        this.agents = agents;
        this.settings = settings;
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), DaemonThreads.numbered("opsd-heartbeat-worker"));
    }

    @Modified
    void modified(HeartbeatConfig config, Map<String, Object> props) {
        try {
            ReceiverSettings next = ReceiverSettings.of(config, props);
            if (next.workers() > workers.getMaximumPoolSize()) {
                workers.setMaximumPoolSize(next.workers());
                workers.setCorePoolSize(next.workers());
            } else {
                workers.setCorePoolSize(next.workers());
                workers.setMaximumPoolSize(next.workers());
            }
            settings = next;
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the receiver keeps its previous settings", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopping = true;
        // a request that read "not stopping" before the flag was set may still be adding its heartbeat
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_LIMIT_MILLIS);
        while (admitting.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        workers.shutdown(); // running workers finish the queue
        if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            LOG.error("{} heartbeats were still queued after {} ms; they are lost", queued.get(), DRAIN_LIMIT_MILLIS);
            workers.shutdownNow();
            return;
        }
        drain(); // what no worker was started for
    }

    ReceiverSettings settings() {
        return settings;
    }

    boolean stopped() {
        return stopping || !settings.enabled();
    }

    /** Takes a heartbeat that passed validation: counted as received, then queued if there is room. */
    Admission accept(HeartbeatRequest request, Instant receivedAt) {
        admitting.incrementAndGet();
        try {
            // enabled = false closes POST /heartbeat only (the servlet answers 503 before it reads a body): the
            // legacy socket's heartbeats go on, as they did before they shared this queue
            if (stopping) {
                return Admission.STOPPED;
            }
            received.increment();
            lastReceived.accumulateAndGet(receivedAt, (a, b) -> a == null || b.isAfter(a) ? b : a);
            int depth = queued.incrementAndGet();
            if (depth > settings.queueSize()) {
                queued.decrementAndGet();
                return Admission.FULL;
            }
            pending.add(new Pending(request, receivedAt));
            wakeWorker(depth);
            return Admission.QUEUED;
        } finally {
            admitting.decrementAndGet();
        }
    }

    private record Pending(HeartbeatRequest request, Instant receivedAt) {
    }

    private void wakeWorker(int depth) {
        int wanted = Math.min((depth + HEARTBEATS_PER_WORKER - 1) / HEARTBEATS_PER_WORKER, workers.getMaximumPoolSize());
        int running;
        while ((running = draining.get()) < wanted) {
            if (draining.compareAndSet(running, running + 1)) {
                try {
                    workers.execute(this::work);
                } catch (RejectedExecutionException e) {
                    draining.decrementAndGet(); // stopping: deactivate drains what is left
                }
                return;
            }
        }
    }

    private void work() {
        do {
            while (drain() > 0 && !stopping) {
                LockSupport.parkNanos(LINGER_NANOS); // let a batch gather instead of being woken for each one
            }
            draining.decrementAndGet();
            // a heartbeat queued after the last poll but before the decrement saw this worker running
        } while (!pending.isEmpty() && claimWorker());
    }

    private boolean claimWorker() {
        int running;
        while ((running = draining.get()) < workers.getMaximumPoolSize()) {
            if (draining.compareAndSet(running, running + 1)) {
                return true;
            }
        }
        return false;
    }

    private int drain() {
        int n = 0;
        Pending p;
        while ((p = pending.poll()) != null) {
            apply(p.request(), p.receivedAt());
            n++;
        }
        return n;
    }

    private void apply(HeartbeatRequest r, Instant receivedAt) {
        long start = System.nanoTime();
        try {
            store.update(r.agentId(), AgentPatch.builder()
                .heartbeat(r.timestamp().orElse(receivedAt), receivedAt, r.status())
                .reported(r.cpu(), r.memory()).build());
            agents.heartbeat(r.agentId(), receivedAt);
            processed.increment();
            latencyNanos.add(System.nanoTime() - start);
        } catch (RuntimeException e) {
            errors.increment();
            LOG.warn("cannot record the heartbeat of {}: {}", r.agentId(), e.toString());
        } finally {
            queued.decrementAndGet();
        }
    }

    void countResponse(int status) {
        responses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** The counters of GET /heartbeat/stats and /metrics, read once. */
    record Stats(long received, long processed, long errors, Instant lastReceived, long averageLatencyNanos,
                 int queued, Map<Integer, Long> responses) {
    }

    Stats stats() {
        long done = processed.sum();
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        responses.forEach((k, v) -> byStatus.put(k, v.sum()));
        return new Stats(received.sum(), done, errors.sum(), lastReceived.get(),
            done == 0 ? 0 : latencyNanos.sum() / done, queued.get(), byStatus);
    }
}
