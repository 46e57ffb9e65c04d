package io.opsd.agent.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.agent.internal.ProcessKeeper.Intent;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.agent.AgentType;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;

/**
 * Supervises one agent, from its factory configuration {@code io.opsd.agent~<id>}: it takes what operators,
 * configuration, installed types and the stop of opsd ask for, and runs all of it, in order, on the agent's own
 * serial executor, so operations, exits, timers and probes never race; the process never depends on the thread or
 * request that started it. Its {@link ProcessKeeper} keeps the process, with the parts that start it, restart it,
 * watch its health and stop it.
 */
@Component(configurationPid = "io.opsd.agent", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
    service = SupervisedAgent.class, property = "opsd.ready.optional=true")
@Designate(ocd = AgentConfig.class, factory = true)
public final class AgentSupervisor implements SupervisedAgent, AgentRuntime.StoppedTogether {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);
    /** the wait in deactivate beyond the stop timeout and the margin after SIGKILL */
    private static final Duration DEACTIVATE_MARGIN = Duration.ofSeconds(2);
    private static final Duration LOG_CHECK = Duration.ofSeconds(5);

    private final AgentRuntime rt;
    private final AgentTimers serial;
    private final Map<String, AgentType> types = new ConcurrentHashMap<>();
    private final String id;
    private final StatusBoard board;
    private final ProcessKeeper keeper;
    private final Future<?> logCheck;
    /** replaced on the serial executor only */
    private AgentSettings settings;
    /** set first thing in deactivate: DS then unbinds the types, which must not look like an uninstall */
    private volatile boolean deactivating;

    @Activate
    public AgentSupervisor(@Reference(name = "runtime") AgentRuntime runtime, AgentConfig config,
                           Map<String, Object> props) {
        this.rt = runtime;
        this.settings = AgentSettings.of(config, props, runtime.dataDir, runtime.accounts);
        this.id = settings.launch().id();
        this.serial = AgentTimers.of(runtime.scheduler, new SerialExecutor(runtime.actors, id));
        this.board = new StatusBoard(id, runtime.store, runtime::publish, () -> settings,
            runtime.store.get(id).map(AgentRecord::desiredState).orElse(DesiredState.RUNNING));
        this.keeper = new ProcessKeeper(id, runtime, serial, () -> settings, types, () -> deactivating, board);
        serial.execute(keeper::begin);
        runtime.register(this);
        // an agent that outlives opsd writes agent.log itself: opsd rotates it by copy and truncate
        this.logCheck = serial.every(LOG_CHECK, keeper::checkDirectLog);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void addType(AgentType type, Map<String, Object> props) {
        Object name = props.get(AgentType.TYPE);
        if (name != null) {
            types.putIfAbsent(String.valueOf(name), type);
            serial.execute(this::typeArrived);
        }
    }

    void removeType(AgentType type, Map<String, Object> props) {
        Object name = props.get(AgentType.TYPE);
        if (name != null && types.remove(String.valueOf(name), type) && !deactivating) {
            serial.execute(() -> typeLeft(String.valueOf(name)));
        }
    }

    @Modified
    void modified(AgentConfig config, Map<String, Object> props) {
        AgentSettings next;
        try {
            next = AgentSettings.of(config, props, rt.dataDir, rt.accounts);
            if (!next.launch().id().equals(id)) {
                throw new InvalidConfigurationException("agent " + id + ": the id cannot change while it runs;"
                    + " create a new file for the new id");
            }
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the agent keeps its previous settings", e.getMessage());
            serial.execute(() -> {
                board.configurationProblem(e.getMessage());
                keeper.publish();
            });
            return;
        }
        serial.execute(() -> reconfigure(next));
    }

    /**
     * A stop of the bundle or of the framework (SCR says so by the reason, or the system bundle is stopping; a
     * lost runtime reference means the runtime, and so every supervisor, goes) stops every agent together: the
     * first supervisor deactivated signals them all, and each waits for its own against the common deadline. A
     * single agent removed or disabled stops alone, as it always did.
     */
    @Deactivate
    void deactivate(int reason) throws InterruptedException {
        deactivating = true;
        boolean removed = reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED;
        boolean together = !removed && (reason == ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED
            || reason == ComponentConstants.DEACTIVATION_REASON_DISPOSED
            || reason == ComponentConstants.DEACTIVATION_REASON_REFERENCE || rt.frameworkStopping());
        Duration timeout = settings.stopTimeout();
        Duration limit = (together ? AgentRuntime.shutdownStopTimeout(timeout) : timeout)
            .plus(GroupStopper.AFTER_KILL_LIMIT).plus(DEACTIVATE_MARGIN);
        long deadline = (together ? rt.stopAllAgents() : System.nanoTime()) + limit.toNanos();
        CompletableFuture<AgentStatus> done = new CompletableFuture<>();
        serial.execute(() -> stopForDeactivation(removed, done));
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("agent {} did not stop in time: {}", id, e.toString());
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        logCheck.cancel(false);
        serial.execute(() -> {
            keeper.retire();
            if (removed) {
                rt.store.remove(id);
            }
            closed.complete(null);
        });
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("agent {}: cleanup did not finish: {}", id, e.toString());
        } finally {
            rt.unregister(this);
        }
    }

    private void stopForDeactivation(boolean removed, CompletableFuture<AgentStatus> done) {
        if (!removed && settings.launch().keepRunningOnExit() && keeper.alive()) {
            LOG.info("agent {} keeps running (pid {}) while opsd stops; the next opsd adopts it", id, keeper.pid());
            keeper.cancelTimers();
            done.complete(board.snapshot());
        } else if (keeper.isShuttingDown() && !removed) {
            // signalled with all the others: only wait for the process and the rest of its group
            if (keeper.alive() || board.state() == AgentState.STOPPING) {
                board.await(done);
            } else {
                done.complete(board.snapshot());
            }
        } else if (keeper.alive()) {
            board.await(done);
            keeper.stop(removed ? Intent.REMOVE : Intent.STOP, AgentState.STOPPING);
            keeper.publish();
        } else {
            done.complete(board.snapshot());
        }
    }

    /** Called by the runtime, on any thread, when every agent stops together. */
    @Override
    public void stopForShutdown(LongConsumer signalled) {
        deactivating = true; // launch() refuses from now on: no restart policy brings an agent back now
        serial.execute(() -> {
            keeper.shuttingDown();
            if (settings.launch().keepRunningOnExit() && keeper.alive()) {
                keeper.cancelTimers(); // no health restart either: it is left running
            } else if (keeper.alive()) {
                // the group only: one scan of /proc by the runtime reaches the rest of every session
                keeper.stop(Intent.STOP, AgentState.STOPPING, false);
                keeper.publish();
                signalled.accept(keeper.pid());
                return;
            }
            signalled.accept(0);
        });
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    @Override
    public AgentStatus status() {
        return board.snapshot();
    }

    @Override
    public CompletableFuture<AgentStatus> start() {
        return onSerial(this::manualStart);
    }

    @Override
    public CompletableFuture<AgentStatus> stop() {
        return onSerial(this::manualStop);
    }

    @Override
    public CompletableFuture<AgentStatus> restart() {
        return onSerial(this::manualRestart);
    }

    @Override
    public void heartbeat(Instant received) {
        keeper.heartbeat(System.nanoTime());
    }

    private CompletableFuture<AgentStatus> onSerial(Consumer<CompletableFuture<AgentStatus>> operation) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> operation.accept(f));
        return f;
    }

    // requests; all below run on the serial executor

    private void manualStart(CompletableFuture<AgentStatus> f) {
        keeper.want(DesiredState.RUNNING);
        if (keeper.alive()) {
            if (board.state() == AgentState.STOPPING) {
                keeper.intent(Intent.RESTART);
                board.await(f);
            } else {
                f.complete(board.snapshot());
            }
            return;
        }
        if (refusedWhileDisabled(f)) {
            return;
        }
        board.await(f);
        keeper.launch("started by an operator");
    }

    private void manualStop(CompletableFuture<AgentStatus> f) {
        keeper.want(DesiredState.STOPPED);
        if (!keeper.alive()) {
            board.record(AgentState.STOPPED);
            keeper.publish();
            f.complete(board.snapshot());
            return;
        }
        board.await(f);
        if (board.state() != AgentState.STOPPING) {
            keeper.stop(Intent.STOP, AgentState.STOPPING);
            keeper.publish();
        } else {
            keeper.intent(Intent.STOP);
        }
    }

    private void manualRestart(CompletableFuture<AgentStatus> f) {
        keeper.want(DesiredState.RUNNING);
        if (refusedWhileDisabled(f)) {
            return;
        }
        board.await(f);
        if (keeper.alive()) {
            if (board.state() != AgentState.STOPPING) {
                keeper.stop(Intent.RESTART, AgentState.RESTARTING);
                keeper.publish();
            } else {
                keeper.intent(Intent.RESTART);
            }
        } else {
            keeper.launch("restarted by an operator");
        }
    }

    private boolean refusedWhileDisabled(CompletableFuture<AgentStatus> f) {
        if (!settings.enabled()) {
            f.completeExceptionally(new IllegalStateException("agent " + id + " is disabled in its configuration"
                + " (enabled = false)"));
        }
        return !settings.enabled();
    }

    private void reconfigure(AgentSettings next) {
        AgentSettings previous = settings;
        settings = next;
        board.configurationProblem(null);
        if (!next.version().equals(previous.version()) && !next.version().isEmpty()) {
            board.persist(AgentPatch.builder().version(next.version()));
        }
        keeper.reconfigured(next);
        boolean relaunch = !next.launch().sameLaunch(previous.launch());
        AgentState state = board.state();
        if (!next.enabled()) {
            if (keeper.alive()) {
                keeper.stop(Intent.STOP, AgentState.STOPPING);
            } else {
                keeper.cancelPendingRestart();
                board.state(AgentState.STOPPED);
            }
            LOG.info("agent {} is disabled by its configuration", id);
        } else if (relaunch && keeper.alive()) {
            LOG.info("agent {}: its launch settings changed; restarting it", id);
            keeper.stop(Intent.RESTART, AgentState.RESTARTING);
        } else if (!keeper.alive() && board.desired() == DesiredState.RUNNING
            && (state == AgentState.STOPPED || state == AgentState.FAILED || state == AgentState.WAITING_FOR_TYPE)) {
            keeper.launch("configured");
            return;
        } else if (keeper.alive() && !next.health().interval().equals(previous.health().interval())) {
            keeper.restartWatching();
        }
        keeper.publish();
    }

    private void typeArrived() {
        if (board.state() == AgentState.WAITING_FOR_TYPE && types.containsKey(settings.launch().type())) {
            keeper.launch("its type " + settings.launch().type() + " was installed");
        }
    }

    private void typeLeft(String type) {
        if (!type.equals(settings.launch().type()) || types.containsKey(type)) {
            return;
        }
        LOG.info("agent {}: its type {} was uninstalled; stopping it", id, type);
        keeper.cancelPendingRestart();
        if (keeper.alive()) {
            CompletableFuture<AgentStatus> stopped = new CompletableFuture<>();
            board.await(stopped);
            stopped.thenRun(() -> serial.execute(() -> {
                if (!types.containsKey(type) && board.state() == AgentState.STOPPED) {
                    board.record(AgentState.WAITING_FOR_TYPE);
                    keeper.publish();
                }
            }));
            keeper.stop(Intent.STOP, AgentState.STOPPING);
        } else {
            board.state(AgentState.WAITING_FOR_TYPE);
        }
        keeper.publish();
    }
}
