package io.opsd.agent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.DesiredState;
import io.opsd.api.store.LastExit;
import io.opsd.api.store.MetadataStore;

/**
 * What an agent's status says, and where it goes: the agent's record in the store (which the next opsd starts
 * from), the listeners, and the callers waiting for an operation to end. Confined to the supervisor's serial
 * executor, but for the snapshot.
 */
final class StatusBoard {

    // the supervisor's logger, as before this class was split from it: operators know these lines by that name
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);

    private final String id;
    private final MetadataStore store;
    private final Consumer<AgentStatus> listeners;
    private final Supplier<AgentSettings> settings;
    private final List<CompletableFuture<AgentStatus>> waiters = new ArrayList<>();
    private AgentState state = AgentState.STOPPED;
    private DesiredState desired;
    private Optional<LastExit> lastExit = Optional.empty();
    private String health = "unknown";
    private String healthReason = "";
    private String lastRestartReason;
    private String configurationProblem;
    /** the supervisor is gone: nothing may write the store any more */
    private boolean retired;
    private volatile AgentStatus snapshot;

    /** @param listeners tells every listener, off the serial executor */
    StatusBoard(String id, MetadataStore store, Consumer<AgentStatus> listeners, Supplier<AgentSettings> settings,
                DesiredState desired) {
        this.id = id;
        this.store = store;
        this.listeners = listeners;
        this.settings = settings;
        this.desired = desired;
        this.snapshot = status(null, 0, List.of());
    }

    /** The last status published; any thread. */
    AgentStatus snapshot() {
        return snapshot;
    }

    /** Publishes the status, with the current process (or null), the restarts in a row and the log's tail. */
    void publish(RunningProcess current, int restartCount, List<String> tail) {
        snapshot = status(current, restartCount, tail);
        listeners.accept(snapshot);
    }

    private AgentStatus status(RunningProcess current, int restartCount, List<String> tail) {
        AgentSettings s = settings.get();
        return new AgentStatus(id, s.launch().type(), s.name(), state, desired, current == null ? 0 : current.pid(),
            Optional.ofNullable(current).map(RunningProcess::startTime), restartCount, lastExit, health,
            healthReason, Optional.ofNullable(lastRestartReason), Optional.ofNullable(configurationProblem), tail);
    }

    /** Writes {@code patch} to the agent's record, unless the supervisor is gone; a failure is logged. */
    void persist(AgentPatch.Builder patch) {
        if (retired) {
            return;
        }
        try {
            store.update(id, patch.build());
        } catch (RuntimeException e) {
            LOG.warn("agent {}: cannot record its state: {}", id, e.toString());
        }
    }

    /** Enters {@code next} and records it. */
    void record(AgentState next) {
        state = next;
        persist(AgentPatch.builder().status(next.wireName()));
    }

    void health(String verdict, String reason) {
        health = verdict;
        healthReason = reason;
    }

    /** The health verdict, as a patch of the record. */
    AgentPatch.Builder healthPatch() {
        return AgentPatch.builder().health(health, healthReason);
    }

    /** Completes {@code caller} with the status at the end of the operation under way. */
    void await(CompletableFuture<AgentStatus> caller) {
        waiters.add(caller);
    }

    /** Tells every waiting caller the last status published. */
    void completeWaiters() {
        AgentStatus s = snapshot;
        for (CompletableFuture<AgentStatus> w : waiters) {
            w.complete(s);
        }
        waiters.clear();
    }

    AgentState state() {
        return state;
    }

    void state(AgentState next) {
        state = next;
    }

    DesiredState desired() {
        return desired;
    }

    void desired(DesiredState next) {
        desired = next;
    }

    void lastExit(Optional<LastExit> exit) {
        lastExit = exit;
    }

    String health() {
        return health;
    }

    String lastRestartReason() {
        return lastRestartReason;
    }

    void lastRestartReason(String reason) {
        lastRestartReason = reason;
    }

    void configurationProblem(String problem) {
        configurationProblem = problem;
    }

    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }
}
