package io.opsd.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.api.store.AgentIds;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.MetadataStore;
import io.opsd.api.store.ResourceSample;
import io.opsd.api.store.StoreStatus;

/**
 * The metadata store. State lives in memory; a change marks the agent dirty, and one writer thread writes every
 * dirty agent once per flush interval (so a heartbeat storm costs one write per agent per interval), each file
 * atomically (temporary file, fsync, rename, directory fsync). When writes fail (a full disk, a read-only
 * directory) the store keeps serving from memory, reports the problem, and retries with a growing delay; the files
 * already on disk are never touched by a failed write.
 */
@Component(configurationPid = "io.opsd.store", immediate = true)
@Designate(ocd = StoreConfig.class)
public final class FileMetadataStore implements MetadataStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileMetadataStore.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(60);
    private static final Duration STOP_FLUSH_LIMIT = Duration.ofSeconds(10);

    /** One agent: its latest record and its resource history. */
    private static final class Agent {
        volatile AgentRecord record;
        final ResourceRing history;
        volatile long historyWrittenNanos;

        Agent(AgentRecord record, int capacity) {
            this.record = record;
            this.history = new ResourceRing(capacity);
        }
    }

    private final AgentFiles files;
    private final Clock clock;
    private final AgentJson codec = new AgentJson();
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<String> historyDirty = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor writer;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong corruptFiles = new AtomicLong();

    private volatile StoreSettings settings;
    private volatile Instant lastWrite;
    private volatile String problem;
    /** writer thread only */
    private Duration retryDelay = FIRST_RETRY;
    private long retryAtNanos;
    private ScheduledFuture<?> cycle;

    @Activate
    public FileMetadataStore(BundleContext context, StoreConfig config, Map<String, Object> props) {
        this(RuntimePaths.dataDir(context).resolve("agents"), StoreSettings.of(config, props), Clock.systemUTC());
    }

    FileMetadataStore(Path dir, StoreSettings settings, Clock clock) {
        this.files = new AgentFiles(dir, codec);
        this.settings = settings;
        this.clock = clock;
        this.writer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("opsd-store-writer"));
        load();
        schedule();
    }

    @Modified
    void modified(StoreConfig config, Map<String, Object> props) {
        StoreSettings next;
        try {
            next = StoreSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the store keeps its previous settings", e.getMessage());
            return;
        }
        StoreSettings previous = settings;
        settings = next;
        if (next.historyMaxPoints() != previous.historyMaxPoints()) {
            agents.values().forEach(a -> a.history.resize(next.historyMaxPoints()));
        }
        if (!next.flushInterval().equals(previous.flushInterval())) {
            writer.execute(this::schedule);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (!flush(STOP_FLUSH_LIMIT)) {
            LOG.error("the store could not write everything to {} before stopping: {}", files.dir(), problem);
        }
        writer.shutdownNow();
        writer.awaitTermination(STOP_FLUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<AgentRecord> get(String id) {
        Agent a = agents.get(AgentIds.require(id));
        return a == null ? Optional.empty() : Optional.of(a.record);
    }

    @Override
    public List<AgentRecord> list() {
        List<AgentRecord> all = new ArrayList<>(agents.size());
        agents.values().forEach(a -> all.add(a.record));
        all.sort(Comparator.comparing(AgentRecord::id));
        return all;
    }

    @Override
    public AgentRecord update(String id, AgentPatch patch) {
        AgentIds.require(id);
        Instant now = clock.instant();
        Agent updated = agents.compute(id, (key, a) -> {
            Agent agent = a != null ? a : new Agent(AgentRecord.initial(key, now), settings.historyMaxPoints());
            agent.record = patch.applyTo(agent.record, now);
            return agent;
        });
        dirty.add(id);
        updates.incrementAndGet();
        return updated.record;
    }

    @Override
    public void record(String id, ResourceSample sample) {
        AgentIds.require(id);
        Instant now = clock.instant();
        StoreSettings s = settings;
        Agent agent = agents.computeIfAbsent(id, key -> {
            dirty.add(key);
            return new Agent(AgentRecord.initial(key, now), s.historyMaxPoints());
        });
        agent.history.add(sample, now, s.historyRetention());
        historyDirty.add(id);
    }

    @Override
    public List<ResourceSample> history(String id, Instant from, Instant to) {
        Agent a = agents.get(AgentIds.require(id));
        if (a == null) {
            return List.of();
        }
        a.history.prune(clock.instant(), settings.historyRetention());
        return a.history.window(from, to);
    }

    @Override
    public boolean remove(String id) {
        AgentIds.require(id);
        if (agents.remove(id) == null) {
            return false;
        }
        dirty.remove(id);
        historyDirty.remove(id);
        writer.execute(() -> files.delete(id));
        return true;
    }

    @Override
    public boolean flush(Duration limit) throws InterruptedException {
        if (writer.isShutdown()) {
            return dirty.isEmpty();
        }
        Future<Boolean> done = writer.submit(() -> writePending(true));
        try {
            return done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.error("flushing the store failed", e.getCause());
            return false;
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Override
    public StoreStatus status() {
        return new StoreStatus(agents.size(), dirty.size(), updates.get(), writes.get(), writeErrors.get(),
            corruptFiles.get(), Optional.ofNullable(lastWrite), Optional.ofNullable(problem));
    }

    /** writer thread: (re)starts the periodic write at the configured interval */
    private void schedule() {
        if (cycle != null) {
            cycle.cancel(false);
        }
        long period = settings.flushInterval().toNanos();
        cycle = writer.scheduleWithFixedDelay(this::writeCycle, period, period, TimeUnit.NANOSECONDS);
    }

    private void writeCycle() {
        if (problem != null && System.nanoTime() - retryAtNanos < 0) {
            return;
        }
        writePending(false);
    }

    /**
     * writer thread: writes every dirty agent, and the histories that are due (all of them when
     * {@code allHistory}). Returns true when nothing is left to write.
     */
    private boolean writePending(boolean allHistory) {
        try {
            Files.createDirectories(files.historyDir());
            for (String id : new ArrayList<>(dirty)) {
                dirty.remove(id);
                Agent a = agents.get(id);
                if (a == null) {
                    continue;
                }
                try {
                    AtomicFiles.write(files.recordFile(id), codec.write(a.record));
                } catch (IOException e) {
                    dirty.add(id);
                    throw e;
                }
                writes.incrementAndGet();
            }
            long now = System.nanoTime();
            long due = settings.historyFlushInterval().toNanos();
            for (String id : new ArrayList<>(historyDirty)) {
                Agent a = agents.get(id);
                if (a == null) {
                    historyDirty.remove(id);
                    continue;
                }
                if (allHistory || now - a.historyWrittenNanos >= due) {
                    historyDirty.remove(id);
                    try {
                        AtomicFiles.write(files.historyFile(id), codec.writeHistory(id,
                            a.history.all()));
                    } catch (IOException e) {
                        historyDirty.add(id);
                        throw e;
                    }
                    a.historyWrittenNanos = now;
                    writes.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
            return false;
        }
        succeeded();
        return dirty.isEmpty() && (!allHistory || historyDirty.isEmpty());
    }

    private void failed(Exception e) {
        writeErrors.incrementAndGet();
        Duration delay = retryDelay;
        retryAtNanos = System.nanoTime() + delay.toNanos();
        retryDelay = delay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay.multipliedBy(2);
        boolean first = problem == null;
        problem = "cannot write agent state to " + files.dir() + ": " + e + "; serving from memory, retrying in "
            + delay.toSeconds() + " s; free space or fix the permissions of the directory";
        if (first) {
            LOG.error("{}", problem);
        }
    }

    private void succeeded() {
        lastWrite = clock.instant();
        if (problem != null) {
            LOG.info("agent state is written to {} again", files.dir());
            problem = null;
        }
        retryDelay = FIRST_RETRY;
    }

    /** Reads every agent file; an unreadable one is set aside and reported, never dropped in silence. */
    private void load() {
        Instant now = clock.instant();
        StoreSettings s = settings;
        files.readRecords(now).forEach((id, record) -> agents.put(id, new Agent(record, s.historyMaxPoints())));
        files.readHistories(agents.keySet(), now).forEach((id, samples) -> {
            Agent agent = agents.get(id);
            samples.forEach(sample -> agent.history.add(sample, now, s.historyRetention()));
        });
        corruptFiles.addAndGet(files.setAside());
        if (Files.isDirectory(files.dir())) {
            LOG.info("loaded {} agents from {}", agents.size(), files.dir());
        }
    }
}
