package io.opsd.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Agent metadata and resource history. Reads come from memory; changes are applied atomically per agent and
 * written to disk by one writer that coalesces them (at most one write per agent per flush interval). Every
 * method taking an id throws {@link IllegalArgumentException} for an id that {@link AgentIds} refuses, before
 * anything touches the file system.
 */
@ProviderType
public interface MetadataStore {

    Optional<AgentRecord> get(String id);

    /** Every agent, in id order. */
    List<AgentRecord> list();

    /** Applies {@code patch} to the agent (created if unknown) and returns the new record. */
    AgentRecord update(String id, AgentPatch patch);

    /** Adds a resource sample to the agent's history (the agent is created if unknown). */
    void record(String id, ResourceSample sample);

    /** The samples taken in {@code [from, to]}, oldest first; only that window is copied. */
    List<ResourceSample> history(String id, Instant from, Instant to);

    /** Forgets the agent and deletes its files; false if it was not known. */
    boolean remove(String id);

    /**
     * Writes every pending change now and waits at most {@code limit}; true when everything pending at the call
     * is on disk.
     */
    boolean flush(Duration limit) throws InterruptedException;

    StoreStatus status();
}
