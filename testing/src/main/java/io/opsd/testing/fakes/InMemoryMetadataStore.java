package io.opsd.testing.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.MetadataStore;
import io.opsd.api.store.ResourceSample;
import io.opsd.api.store.StoreStatus;

/**
 * A MetadataStore that keeps everything in memory and never writes: records patched as the real store patches
 * them, samples kept whole. Not final, so a test can hold or break one method.
 */
public class InMemoryMetadataStore implements MetadataStore {

    private final Map<String, AgentRecord> records = new ConcurrentSkipListMap<>(); // id order, as the real one
    private final Map<String, List<ResourceSample>> samples = new ConcurrentHashMap<>();
    private final AtomicLong updates = new AtomicLong();

    @Override
    public Optional<AgentRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public List<AgentRecord> list() {
        return List.copyOf(records.values());
    }

    @Override
    public AgentRecord update(String id, AgentPatch patch) {
        Instant now = Instant.now();
        AgentRecord next = records.compute(id,
            (key, old) -> patch.applyTo(old == null ? AgentRecord.initial(key, now) : old, now));
        updates.incrementAndGet();
        return next;
    }

    @Override
    public void record(String id, ResourceSample sample) {
        records.computeIfAbsent(id, key -> AgentRecord.initial(key, Instant.now()));
        samples.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>()).add(sample);
    }

    @Override
    public List<ResourceSample> history(String id, Instant from, Instant to) {
        return samples.getOrDefault(id, List.of()).stream()
            .filter(s -> !s.time().isBefore(from) && !s.time().isAfter(to)).toList();
    }

    @Override
    public boolean remove(String id) {
        samples.remove(id);
        return records.remove(id) != null;
    }

    @Override
    public boolean flush(Duration limit) {
        return true;
    }

    @Override
    public StoreStatus status() {
        return new StoreStatus(records.size(), 0, updates.get(), 0, 0, 0, Optional.empty(), Optional.empty());
    }

    /** How many updates were applied, to every agent together. */
    public long updates() {
        return updates.get();
    }
}
