package io.opsd.heartbeat.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.MetadataStore;

/**
 * Accepted heartbeats wait in a bounded queue for the workers that apply them to the store and to the agent's
 * heartbeat timeout. The bound is an admission count, so the queue size and the workers change at run time
 * without losing what is queued. Stopping refuses new heartbeats, then drains the queue into the store.
 */
@Component(configurationPid = "io.opsd.heartbeat", service = HeartbeatReceiver.class, immediate = true)
@Designate(ocd = HeartbeatConfig.class)
public final class HeartbeatReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatReceiver.class);
    private static final long DRAIN_LIMIT_MILLIS = 10_000;

    /** What became of a heartbeat that passed validation. */
    enum Admission { QUEUED, FULL, STOPPED }

    private final MetadataStore store;
    private final AgentManager agents;
    private final ThreadPoolExecutor workers;
    private final AtomicInteger queued = new AtomicInteger();
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
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "opsd-heartbeat-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
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
        workers.shutdown(); // what is queued still runs
        if (!workers.awaitTermination(DRAIN_LIMIT_MILLIS, TimeUnit.MILLISECONDS)) {
            LOG.error("{} heartbeats were still queued after {} ms; they are lost", queued.get(), DRAIN_LIMIT_MILLIS);
            workers.shutdownNow();
        }
    }

    ReceiverSettings settings() {
        return settings;
    }

    boolean stopped() {
        return stopping || !settings.enabled();
    }

    /** Takes a heartbeat that passed validation: counted as received, then queued if there is room. */
    Admission accept(HeartbeatRequest request, Instant receivedAt) {
        if (stopped()) {
            return Admission.STOPPED;
        }
        received.increment();
        lastReceived.accumulateAndGet(receivedAt, (a, b) -> a == null || b.isAfter(a) ? b : a);
        if (queued.incrementAndGet() > settings.queueSize()) {
            queued.decrementAndGet();
            return Admission.FULL;
        }
        try {
            workers.execute(() -> apply(request, receivedAt));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queued.decrementAndGet();
            return Admission.STOPPED;
        }
        return Admission.QUEUED;
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
