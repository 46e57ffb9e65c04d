package io.opsd.agent.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentType;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.api.store.LastExit;
import io.opsd.api.store.ResourceSample;

/**
 * Keeps one agent's process: starts or adopts it, stops it, and handles its end, by the restart policy when
 * nobody asked for it; an unhealthy verdict restarts it. {@link AgentSupervisor} tells it what operators,
 * configuration and types ask for; the {@link StatusBoard} shows each step. The generation number tells the exit
 * of an old process from the current one. Confined to the supervisor's serial executor.
 */
final class ProcessKeeper implements HealthWatch.Subject {

    // the supervisor's logger, as before this class was split from it: operators know these lines by that name
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);
    private static final int TAIL_LINES = 20;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);

    /** Why the current process is being stopped. */
    enum Intent { NONE, STOP, RESTART, UNHEALTHY, REMOVE }

    private final String id;
    private final AgentRuntime rt;
    private final AgentTimers serial;
    private final Supplier<AgentSettings> settings;
    private final Map<String, AgentType> types;
    /** whether nothing may start any more: the supervisor is being deactivated */
    private final BooleanSupplier deactivating;
    private final StatusBoard board;
    private final ProcessLauncher launcher;
    private final GroupStopper stopper;
    private final OrphanCleanup orphans;
    private final RestartTracker restarts;
    private final HealthWatch watch;

    private Intent intent = Intent.NONE;
    /** the process, until its exit is handled; null before */
    private RunningProcess current;
    private long generation;
    private AgentLog log;

    ProcessKeeper(String id, AgentRuntime rt, AgentTimers serial, Supplier<AgentSettings> settings,
                  Map<String, AgentType> types, BooleanSupplier deactivating, StatusBoard board) {
        this.id = id;
        this.rt = rt;
        this.serial = serial;
        this.settings = settings;
        this.types = types;
        this.deactivating = deactivating;
        this.board = board;
        this.launcher = new ProcessLauncher(rt::launch, rt.dataDir, rt.logDir);
        this.stopper = new GroupStopper(id, rt.control, rt.procFs, serial);
        this.orphans = new OrphanCleanup(id, rt.control, rt.procFs, stopper);
        this.restarts = new RestartTracker(serial);
        this.watch = new HealthWatch(serial, rt.probes,
            new ProcessTreeSampler(rt.procFs, System::nanoTime, Instant::now),
            () -> HealthProbes.of(settings().health(), types.get(settings().launch().type()), settings().launch()),
            this, settings().health());
    }

    private AgentSettings settings() {
        return settings.get();
    }

    /** The start of supervision: adopts or clears what a previous opsd left, and starts the agent if it should. */
    void begin() {
        Optional<AgentRecord> stored = rt.store.get(id);
        board.desired(stored.map(AgentRecord::desiredState).orElse(DesiredState.RUNNING));
        restarts.restore(stored.map(AgentRecord::restartCount).orElse(0));
        board.lastExit(stored.flatMap(AgentRecord::lastExit));
        AgentSettings.Logs l = settings().logs();
        log = new AgentLog(rt.logDir.resolve(id), l.maxSize(), l.maxFiles(), l.compress(), TAIL_LINES);
        if (!settings().version().isEmpty()) {
            board.persist(AgentPatch.builder().version(settings().version()));
        }
        boolean wanted = settings().enabled() && board.desired() == DesiredState.RUNNING;
        if (stored.isPresent() && stored.get().pid() > 0) {
            boolean adoptable = settings().launch().keepRunningOnExit() && wanted;
            Optional<RunningProcess> adopted = orphans.adoptOrClear(stored.get(), adoptable, stopTimeout());
            if (adopted.isPresent()) {
                run(adopted.get());
                LOG.info("agent {}: adopted the running process {} left by the previous opsd", id, current.pid());
                board.persist(AgentPatch.builder().status(board.state().wireName()));
                startWatching();
                publish();
                return;
            }
        }
        orphans.killLeftovers(settings().launch().workDir());
        board.persist(AgentPatch.builder().type(settings().launch().type()).desiredState(board.desired())
            .process(0, 0).status(AgentState.STOPPED.wireName()));
        if (wanted) {
            launch("start");
        } else {
            board.state(AgentState.STOPPED);
            publish();
        }
    }

    void launch(String why) {
        if (board.retired() || deactivating.getAsBoolean()) {
            board.completeWaiters();
            return;
        }
        AgentSettings.Launch launch = settings().launch();
        AgentType type = types.get(launch.type());
        if (type == null) {
            board.state(AgentState.WAITING_FOR_TYPE);
            LOG.info("agent {} waits for its type {} to be installed", id, launch.type());
            settle();
            return;
        }
        ProcessLauncher.Command command;
        try {
            command = ProcessLauncher.command(launch, type);
        } catch (ProcessLauncher.TypeRefusal e) {
            board.configurationProblem(e.getMessage());
            LOG.error("{}", e.getMessage());
            board.state(AgentState.FAILED);
            settle();
            return;
        }
        board.state(AgentState.STARTING);
        Process process;
        try {
            process = launcher.start(launch, command);
        } catch (IOException | RuntimeException e) {
            current = current == null ? null : current.withoutChild();
            board.lastExit(Optional.of(new LastExit(Instant.now(), OptionalInt.of(-1), Optional.empty())));
            LOG.error("agent {}: cannot start {}: {}", id, launch.binary(), e.getMessage());
            afterEnd(true, "could not start: " + e.getMessage());
            return;
        }
        run(RunningProcess.started(process, rt.procFs.startTime(process.pid()).orElse(0), Instant.now()));
        watch.heartbeat(System.nanoTime());
        board.health("unknown", "");
        if (!launch.keepRunningOnExit()) {
            log.attach(process.getInputStream(), "out");
        }
        LOG.info("agent {} started ({}) with pid {}", id, why, current.pid());
        board.persist(board.healthPatch().type(launch.type()).status(board.state().wireName())
            .process(current.pid(), current.startTicks()).startTime(current.startTime())
            .restartCount(restarts.count()));
        startWatching();
        publish();
        board.completeWaiters();
    }

    /** Makes {@code process} the current one, of a new generation, and RUNNING. */
    private void run(RunningProcess process) {
        generation++;
        long gen = generation;
        current = process;
        process.onExit().thenRun(() -> serial.execute(() -> exited(gen)));
        board.state(AgentState.RUNNING);
    }

    private void exited(long gen) {
        if (gen != generation || current == null) {
            return;
        }
        cancelTimers();
        RunningProcess ended = current;
        LastExit exit = ended.exit(Instant.now());
        if (log != null && ended.isChild()) {
            log.awaitDrained(DRAIN_LIMIT);
        }
        current = null;
        board.lastExit(Optional.of(exit));
        LOG.info("agent {} exited: {}", id, RunningProcess.describe(exit));
        Intent why = intent;
        intent = Intent.NONE;
        board.persist(AgentPatch.builder().process(0, 0).lastExit(exit));
        if (why == Intent.STOP || why == Intent.REMOVE || why == Intent.RESTART) {
            // a stop waits for the whole group: what the agent forked got SIGTERM too, and SIGKILL at the deadline
            stopper.whenGone(ended.pid(), System.nanoTime() + stopTimeout().toNanos(), () -> afterExit(why, exit));
        } else {
            stopper.kill(ended.pid());
            afterExit(why, exit);
        }
    }

    private void afterExit(Intent why, LastExit exit) {
        switch (why) {
            case STOP, REMOVE -> {
                board.state(AgentState.STOPPED);
                settle();
            }
            case RESTART -> launch("restart");
            case UNHEALTHY -> afterEnd(true, board.lastRestartReason());
            default -> afterEnd(exit.signal().isPresent() || exit.code().orElse(0) != 0,
                RunningProcess.describe(exit));
        }
    }

    /** The restart policy, after a process ended without being asked to. */
    private void afterEnd(boolean failed, String reason) {
        RestartPolicy policy = settings().restart();
        RestartTracker.Decision next = restarts.afterEnd(policy,
            settings().enabled() && board.desired() == DesiredState.RUNNING, failed);
        if (next instanceof RestartTracker.Restart restart) {
            board.lastRestartReason(reason);
            board.state(AgentState.RESTARTING);
            LOG.info("agent {} restarts in {} ms (restart {} of at most {}): {}", id, restart.delay().toMillis(),
                restart.attempt(), policy.maxRetries(), reason);
            board.persist(AgentPatch.builder().status(board.state().wireName()).restartCount(restart.attempt()));
            publish();
            restarts.schedule(restart, () -> {
                if (board.state() == AgentState.RESTARTING && intent == Intent.NONE) {
                    launch("automatic restart " + restarts.count());
                }
            });
            return;
        }
        if (next instanceof RestartTracker.GiveUp giveUp) {
            board.state(AgentState.FAILED);
            LOG.error("agent {} ended {} times in a row (last: {}); it stays stopped until an operator starts it",
                id, giveUp.endings(), reason);
        } else {
            board.state(AgentState.STOPPED);
        }
        settle();
    }

    /** What an operator asks: the agent runs (its restart count starts over) or stays stopped. */
    void want(DesiredState next) {
        board.desired(next);
        AgentPatch.Builder patch = AgentPatch.builder().desiredState(next);
        if (next == DesiredState.RUNNING) {
            restarts.startOver();
            patch.restartCount(0);
        }
        cancelPendingRestart();
        board.persist(patch);
    }

    /** Stops the current process for {@code why}, in state {@code stopping}. */
    void stop(Intent why, AgentState stopping) {
        stop(why, stopping, true);
    }

    /** With {@code wholeSession} false, SIGTERM goes to the process group only (the runtime does the rest). */
    void stop(Intent why, AgentState stopping, boolean wholeSession) {
        intent = why;
        board.state(stopping);
        if (alive()) {
            long gen = generation;
            stopper.terminate(current.pid(), wholeSession, stopTimeout(), () -> gen == generation && alive());
        }
    }

    /** Changes why the process, already being stopped, stops. */
    void intent(Intent why) {
        intent = why;
    }

    /** Health checks of the current run, and the reset of the restart count once it has run long enough. */
    private void startWatching() {
        long gen = generation;
        watch.start(gen, current.pid());
        Duration resetAfter = settings().restart().resetAfter();
        restarts.resetAfter(resetAfter, () -> running(gen) && !"unhealthy".equals(board.health()), () -> {
            LOG.info("agent {} ran {} s; its restart count is reset", id, resetAfter.toSeconds());
            board.persist(AgentPatch.builder().restartCount(0));
            publish();
        });
    }

    /** New settings, in place: the log's and the health checks'. */
    void reconfigured(AgentSettings next) {
        if (log != null) {
            log.settings(next.logs().maxSize(), next.logs().maxFiles(), next.logs().compress());
        }
        watch.settings(next.health());
    }

    /** Watches the current run anew, as the settings now say. */
    void restartWatching() {
        cancelTimers();
        startWatching();
    }

    @Override
    public boolean running(long gen) {
        return gen == generation && board.state() == AgentState.RUNNING;
    }

    @Override
    public boolean alive() {
        return current != null && current.alive();
    }

    @Override
    public void sampled(ResourceSample sample) {
        rt.store.record(id, sample);
    }

    @Override
    public void healthy() {
        if (!"healthy".equals(board.health())) {
            board.health("healthy", "");
            board.persist(board.healthPatch());
            publish();
        }
    }

    @Override
    public void unhealthy(String reason) {
        board.health("unhealthy", reason);
        board.lastRestartReason("unhealthy: " + reason);
        LOG.warn("agent {} is unhealthy ({}); restarting it", id, reason);
        board.persist(board.healthPatch());
        stop(Intent.UNHEALTHY, AgentState.RESTARTING);
        publish();
    }

    /** Stops health checks and the timers of the current run, as for an agent left running when opsd stops. */
    void cancelTimers() {
        watch.stop();
        restarts.cancelReset();
        stopper.cancel();
    }

    void cancelPendingRestart() {
        restarts.cancelPending();
        if (board.state() == AgentState.RESTARTING && !alive()) {
            board.state(AgentState.STOPPED);
        }
    }

    private Duration stopTimeout() {
        return stopper.timeout(settings().stopTimeout());
    }

    /** Every agent stops together now: stop timeouts are cut, and no restart is pending any more. */
    void shuttingDown() {
        stopper.shutdown();
        cancelPendingRestart();
    }

    boolean isShuttingDown() {
        return stopper.shuttingDown();
    }

    /** The supervisor is gone: its timers stop, its log closes; nothing is started or recorded any more. */
    void retire() {
        board.retire();
        cancelTimers();
        restarts.cancelPending();
        if (log != null) {
            log.close();
            log = null;
        }
    }

    /** Copy-truncate rotation of the file an agent that outlives opsd writes itself. */
    void checkDirectLog() {
        if (log != null && !board.retired() && settings().launch().keepRunningOnExit()) {
            log.requestDirectRotation();
        }
    }

    void heartbeat(long nanos) {
        watch.heartbeat(nanos);
    }

    long pid() {
        return current == null ? 0 : current.pid();
    }

    /** Records the state, tells the listeners and whoever waits for the operation under way. */
    private void settle() {
        board.record(board.state());
        publish();
        board.completeWaiters();
    }

    void publish() {
        board.publish(current, restarts.count(), log == null ? List.of() : log.tail());
    }
}
