package io.opsd.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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

import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.agent.AgentType;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.api.store.LastExit;
import io.opsd.api.store.ResourceSample;

/**
 * Supervises one agent, from its factory configuration {@code io.opsd.agent~<id>}. Every change of state runs on
 * the agent's own serial executor, so operations, exits, timers and probes never race; the process never
 * depends on the thread or request that started it. The generation number tells the exit of an old process
 * from the current one.
 */
@Component(configurationPid = "io.opsd.agent", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
    service = SupervisedAgent.class, property = "opsd.ready.optional=true")
@Designate(ocd = AgentConfig.class, factory = true)
public final class AgentSupervisor implements SupervisedAgent, AgentRuntime.StoppedTogether {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);
    private static final int TAIL_LINES = 20;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);
    private static final Duration GROUP_POLL = Duration.ofMillis(50);
    private static final Duration AFTER_KILL_LIMIT = Duration.ofSeconds(5);
    /** the wait in deactivate beyond the stop timeout and the margin after SIGKILL */
    private static final Duration DEACTIVATE_MARGIN = Duration.ofSeconds(2);
    private static final Duration LOG_CHECK = Duration.ofSeconds(5);

    /** Why the current process is being stopped. */
    private enum Intent { NONE, STOP, RESTART, UNHEALTHY, REMOVE }

    private final AgentRuntime rt;
    private final SerialExecutor serial;
    private final Map<String, AgentType> types = new ConcurrentHashMap<>();
    private final String id;

    // confined to the serial executor
    private AgentSettings settings;
    private AgentState state = AgentState.STOPPED;
    private DesiredState desired = DesiredState.RUNNING;
    private Intent intent = Intent.NONE;
    private Process process;
    private ProcessHandle handle;
    private long pid;
    private long startTicks;
    private Instant startTime;
    private long generation;
    private int restartCount;
    private Optional<LastExit> lastExit = Optional.empty();
    private String health = "unknown";
    private String healthReason = "";
    private String lastRestartReason;
    private String configurationProblem;
    private ScheduledFuture<?> pendingRestart;
    private ScheduledFuture<?> healthTicks;
    private ScheduledFuture<?> resetTimer;
    private ScheduledFuture<?> killTimer;
    private final List<CompletableFuture<AgentStatus>> waiters = new ArrayList<>();
    private AgentLog log;
    private ProcessTreeSampler sampler;
    private ThresholdWatch thresholds;
    private boolean probing;
    /** the supervisor is gone: nothing may start a process or write the store any more */
    private boolean retired;
    /** opsd (or this bundle) stops: the agent was signalled with all the others and is not started again */
    private boolean shuttingDown;

    private volatile long lastHeartbeatNanos;
    private volatile AgentStatus snapshot;
    /** set first thing in deactivate: DS then unbinds the types, which must not look like an uninstall */
    private volatile boolean deactivating;
    private final ScheduledFuture<?> logCheck;

    @Activate
    public AgentSupervisor(@Reference(name = "runtime") AgentRuntime runtime, AgentConfig config,
                           Map<String, Object> props) {
        this.rt = runtime;
        this.settings = AgentSettings.of(config, props, runtime.dataDir, runtime.accounts);
        this.id = settings.launch().id();
        this.serial = new SerialExecutor(runtime.actors, id);
        this.desired = runtime.store.get(id).map(AgentRecord::desiredState).orElse(DesiredState.RUNNING);
        this.snapshot = status(AgentState.STOPPED);
        serial.execute(this::begin);
        runtime.register(this);
        // an agent that outlives opsd writes agent.log itself: opsd rotates it by copy and truncate
        this.logCheck = runtime.scheduler.scheduleWithFixedDelay(() -> serial.execute(this::checkDirectLog),
            LOG_CHECK.toNanos(), LOG_CHECK.toNanos(), TimeUnit.NANOSECONDS);
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
                configurationProblem = e.getMessage();
                publish();
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
        long deadline;
        if (together) {
            deadline = rt.stopAllAgents() + shutdownStopTimeout(timeout).plus(AFTER_KILL_LIMIT)
                .plus(DEACTIVATE_MARGIN).toNanos();
        } else {
            deadline = System.nanoTime() + timeout.plus(AFTER_KILL_LIMIT).plus(DEACTIVATE_MARGIN).toNanos();
        }
        CompletableFuture<AgentStatus> done = new CompletableFuture<>();
        serial.execute(() -> {
            if (!removed && settings.launch().keepRunningOnExit() && alive()) {
                LOG.info("agent {} keeps running (pid {}) while opsd stops; the next opsd adopts it", id, pid);
                cancelTimers();
                done.complete(snapshot);
                return;
            }
            if (shuttingDown && !removed) {
                // signalled with all the others: only wait for the process and the rest of its group
                if (alive() || state == AgentState.STOPPING) {
                    waiters.add(done);
                } else {
                    done.complete(snapshot);
                }
                return;
            }
            if (alive()) {
                intent = removed ? Intent.REMOVE : Intent.STOP;
                state = AgentState.STOPPING;
                waiters.add(done);
                beginKill();
                publish();
            } else {
                done.complete(snapshot);
            }
        });
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.error("agent {} did not stop in time: {}", id, e.toString());
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        logCheck.cancel(false);
        serial.execute(() -> {
            retired = true;
            cancelTimers();
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            if (log != null) {
                log.close();
                log = null;
            }
            if (removed) {
                rt.store.remove(id);
            }
            closed.complete(null);
        });
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("agent {}: cleanup did not finish: {}", id, e.toString());
        } finally {
            rt.unregister(this);
        }
    }

    /** Called by the runtime, on any thread, when every agent stops together. */
    @Override
    public void stopForShutdown(java.util.function.LongConsumer signalled) {
        deactivating = true; // launch() refuses from now on: no restart policy brings an agent back now
        serial.execute(() -> {
            shuttingDown = true;
            cancelPendingRestart();
            if (settings.launch().keepRunningOnExit() && alive()) {
                cancelTimers(); // no health restart either: it is left running
            } else if (alive()) {
                intent = Intent.STOP;
                state = AgentState.STOPPING;
                // the group only: one scan of /proc by the runtime reaches the rest of every session
                beginKill(false);
                publish();
                signalled.accept(pid);
                return;
            }
            signalled.accept(0);
        });
    }

    private static Duration shutdownStopTimeout(Duration configured) {
        return configured.compareTo(AgentRuntime.SHUTDOWN_STOP_LIMIT) > 0 ? AgentRuntime.SHUTDOWN_STOP_LIMIT
            : configured;
    }

    /** The stop timeout in force: the configured one, cut to the runtime's limit while opsd stops. */
    private Duration stopTimeout() {
        return shuttingDown ? shutdownStopTimeout(settings.stopTimeout()) : settings.stopTimeout();
    }

    /** Copy-truncate rotation of the file an agent that outlives opsd writes itself. */
    private void checkDirectLog() {
        if (log != null && !retired && settings.launch().keepRunningOnExit()) {
            log.requestDirectRotation();
        }
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
        return snapshot;
    }

    @Override
    public CompletableFuture<AgentStatus> start() {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> manualStart(f));
        return f;
    }

    @Override
    public CompletableFuture<AgentStatus> stop() {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> manualStop(f));
        return f;
    }

    @Override
    public CompletableFuture<AgentStatus> restart() {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> manualRestart(f));
        return f;
    }

    @Override
    public void heartbeat(Instant received) {
        lastHeartbeatNanos = System.nanoTime();
    }

    // ---- transitions; all below run on the serial executor

    private void begin() {
        Optional<AgentRecord> stored = rt.store.get(id);
        desired = stored.map(AgentRecord::desiredState).orElse(DesiredState.RUNNING);
        restartCount = stored.map(AgentRecord::restartCount).orElse(0);
        lastExit = stored.flatMap(AgentRecord::lastExit);
        log = openLog();
        if (!settings.version().isEmpty()) {
            persist(AgentPatch.builder().version(settings.version()));
        }
        if (stored.isPresent() && stored.get().pid() > 0 && adoptOrClear(stored.get())) {
            return;
        }
        killLeftovers();
        persist(AgentPatch.builder().type(settings.launch().type()).desiredState(desired).process(0, 0)
            .status(AgentState.STOPPED.wireName()));
        if (settings.enabled() && desired == DesiredState.RUNNING) {
            launch("start");
        } else {
            state = AgentState.STOPPED;
            publish();
        }
    }

    /**
     * A process recorded by a previous opsd: adopted when it is the same process (pid and start time match) and
     * the agent is meant to survive opsd; otherwise stopped, with whatever it left in its process group.
     */
    private boolean adoptOrClear(AgentRecord r) {
        OptionalLong ticks = rt.procFs.startTime(r.pid());
        boolean ours = ticks.isPresent() && ticks.getAsLong() == r.processStartTime();
        if (ours && settings.launch().keepRunningOnExit() && settings.enabled() && desired == DesiredState.RUNNING) {
            generation++;
            long gen = generation;
            handle = ProcessHandle.of(r.pid()).orElse(null);
            if (handle != null) {
                pid = r.pid();
                startTicks = r.processStartTime();
                startTime = r.startTime().orElse(Instant.now());
                state = AgentState.RUNNING;
                handle.onExit().thenRun(() -> serial.execute(() -> exited(gen)));
                LOG.info("agent {}: adopted the running process {} left by the previous opsd", id, pid);
                persist(AgentPatch.builder().status(state.wireName()));
                scheduleWatch(gen);
                publish();
                return true;
            }
        }
        if (ours) {
            LOG.info("agent {}: stopping the process {} the previous opsd left behind", id, r.pid());
            rt.control.signalSession(rt.procFs, r.pid(), ProcessControl.SIGTERM);
            awaitGroupGone(r.pid(), System.nanoTime() + stopTimeout().toNanos());
        }
        if (!ours && !rt.procFs.sessionMembers(r.pid()).isEmpty() && ProcessHandle.of(r.pid()).isEmpty()) {
            LOG.info("agent {}: killing what its previous process {} left in its process group", id, r.pid());
            rt.control.signalSession(rt.procFs, r.pid(), ProcessControl.SIGKILL);
        }
        return false;
    }

    /**
     * Kills what this agent's processes left when opsd was killed before it had stored their pid (its writer
     * coalesces): orphans carrying the agent's id and this node's work directory in their environment. Under the
     * systemd unit the cgroup goes with opsd anyway; run by hand, these would live on.
     */
    private void killLeftovers() {
        Map<String, String> marks = Map.of("OPSD_AGENT_ID", id, "HOME", settings.launch().workDir().toString());
        for (long session : rt.procFs.orphanSessionsWith(marks)) {
            LOG.warn("agent {}: killing the processes of session {} an earlier opsd left behind", id, session);
            rt.control.signalSession(rt.procFs, session, ProcessControl.SIGKILL);
        }
    }

    /**
     * Creates the work directory. The default one, under opsd's data directory, is also given to the agent's user,
     * who could not write its own HOME otherwise; a configured work_dir is the operator's to set up.
     */
    private void prepareWorkDir(AgentSettings.Launch launch) throws IOException {
        Path dir = Files.createDirectories(launch.workDir());
        if (launch.runAs().isPresent() && dir.startsWith(rt.dataDir.resolve("work"))) {
            Files.setAttribute(dir, "unix:uid", (int) launch.runAs().get().uid());
            Files.setAttribute(dir, "unix:gid", (int) launch.runAs().get().gid());
        }
    }

    private void awaitGroupGone(long group, long deadlineNanos) {
        while (!rt.procFs.sessionMembers(group).isEmpty()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                rt.control.signalSession(rt.procFs, group, ProcessControl.SIGKILL);
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(GROUP_POLL.toNanos()); // bounded poll at start-up
        }
    }

    private void launch(String why) {
        if (retired || deactivating) {
            completeWaiters();
            return;
        }
        AgentType type = types.get(settings.launch().type());
        if (type == null) {
            state = AgentState.WAITING_FOR_TYPE;
            LOG.info("agent {} waits for its type {} to be installed", id, settings.launch().type());
            persist(AgentPatch.builder().status(state.wireName()));
            publish();
            completeWaiters();
            return;
        }
        AgentSettings.Launch launch = settings.launch();
        List<String> command = new ArrayList<>(ProcessControl.wrapper(!launch.keepRunningOnExit(), launch.runAs()));
        int wrapper = command.size();
        try {
            command.addAll(type.command(settings.launch().definition()));
        } catch (RuntimeException e) {
            configurationProblem = "agent " + id + ": type " + settings.launch().type() + " refuses the configuration: "
                + e.getMessage();
            LOG.error("{}", configurationProblem);
            state = AgentState.FAILED;
            persist(AgentPatch.builder().status(state.wireName()));
            publish();
            completeWaiters();
            return;
        }
        state = AgentState.STARTING;
        try {
            // the wrapper (setsid, setpriv) would start and then fail with exit code 127: say what is wrong instead
            Path executable = Path.of(command.get(wrapper));
            if (executable.isAbsolute() && !Files.isExecutable(executable)) {
                throw new IOException(executable + (Files.exists(executable) ? " is not executable"
                    : " does not exist (deleted or moved since the agent was configured?)"));
            }
            prepareWorkDir(launch);
            ProcessBuilder pb = new ProcessBuilder(command).directory(launch.workDir().toFile())
                .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(AgentEnvironment.of(launch, System.getenv()));
            if (settings.launch().keepRunningOnExit()) {
                // the output must not depend on opsd's pipe, which closes when opsd exits
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            }
            process = rt.launch(pb);
        } catch (IOException | RuntimeException e) {
            process = null;
            lastExit = Optional.of(new LastExit(Instant.now(), OptionalInt.of(-1), Optional.empty()));
            LOG.error("agent {}: cannot start {}: {}", id, settings.launch().binary(), e.getMessage());
            afterEnd(true, "could not start: " + e.getMessage());
            return;
        }
        generation++;
        long gen = generation;
        handle = process.toHandle();
        pid = process.pid();
        startTicks = rt.procFs.startTime(pid).orElse(0);
        startTime = Instant.now();
        lastHeartbeatNanos = System.nanoTime();
        health = "unknown";
        healthReason = "";
        if (!settings.launch().keepRunningOnExit()) {
            log.attach(process.getInputStream(), "out");
        }
        process.onExit().thenRun(() -> serial.execute(() -> exited(gen)));
        state = AgentState.RUNNING;
        LOG.info("agent {} started ({}) with pid {}", id, why, pid);
        persist(AgentPatch.builder().type(settings.launch().type()).status(state.wireName()).process(pid, startTicks)
            .startTime(startTime).restartCount(restartCount).health(health, healthReason));
        scheduleWatch(gen);
        publish();
        completeWaiters();
    }

    private void exited(long gen) {
        if (gen != generation || handle == null) {
            return;
        }
        cancelTimers();
        LastExit exit = exitOf(Instant.now());
        if (log != null && process != null) {
            log.awaitDrained(DRAIN_LIMIT);
        }
        long group = pid;
        process = null;
        handle = null;
        pid = 0;
        startTicks = 0;
        lastExit = Optional.of(exit);
        LOG.info("agent {} exited: {}", id, describe(exit));
        Intent why = intent;
        intent = Intent.NONE;
        persist(AgentPatch.builder().process(0, 0).lastExit(exit));
        if (why == Intent.STOP || why == Intent.REMOVE || why == Intent.RESTART) {
            // a stop waits for the whole group: what the agent forked got SIGTERM too, and SIGKILL at the deadline
            whenGroupGone(group, System.nanoTime() + stopTimeout().toNanos(), false,
                () -> afterExit(why, exit));
        } else {
            rt.control.signalSession(rt.procFs, group, ProcessControl.SIGKILL);
            afterExit(why, exit);
        }
    }

    private void afterExit(Intent why, LastExit exit) {
        switch (why) {
            case STOP, REMOVE -> {
                state = AgentState.STOPPED;
                persist(AgentPatch.builder().status(state.wireName()));
                publish();
                completeWaiters();
            }
            case RESTART -> launch("restart");
            case UNHEALTHY -> afterEnd(true, lastRestartReason);
            default -> afterEnd(exit.signal().isPresent() || exit.code().orElse(0) != 0, describe(exit));
        }
    }

    /** Polls until nothing of the group is left; SIGKILL at the deadline; then runs {@code then}. */
    private void whenGroupGone(long group, long deadlineNanos, boolean killed, Runnable then) {
        if (rt.procFs.sessionMembers(group).isEmpty()) {
            then.run();
            return;
        }
        long deadline = deadlineNanos;
        boolean sentKill = killed;
        if (System.nanoTime() - deadline > 0) {
            if (sentKill) {
                LOG.warn("agent {}: processes of group {} survive SIGKILL: {}", id, group,
                    rt.procFs.sessionMembers(group));
                then.run();
                return;
            }
            rt.control.signalSession(rt.procFs, group, ProcessControl.SIGKILL);
            sentKill = true;
            deadline = System.nanoTime() + AFTER_KILL_LIMIT.toNanos();
        }
        long nextDeadline = deadline;
        boolean nextKilled = sentKill;
        rt.scheduler.schedule(() -> serial.execute(() -> whenGroupGone(group, nextDeadline, nextKilled, then)),
            GROUP_POLL.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The restart policy, after a process ended without being asked to. */
    private void afterEnd(boolean failed, String reason) {
        RestartPolicy policy = settings.restart();
        if (!settings.enabled() || desired != DesiredState.RUNNING || !policy.restarts(failed)) {
            state = AgentState.STOPPED;
            persist(AgentPatch.builder().status(state.wireName()));
            publish();
            completeWaiters();
            return;
        }
        if (restartCount >= policy.maxRetries()) {
            state = AgentState.FAILED;
            LOG.error("agent {} ended {} times in a row (last: {}); it stays stopped until an operator starts it",
                id, restartCount + 1, reason);
            persist(AgentPatch.builder().status(state.wireName()));
            publish();
            completeWaiters();
            return;
        }
        restartCount++;
        lastRestartReason = reason;
        Duration delay = policy.backoff(restartCount);
        state = AgentState.RESTARTING;
        LOG.info("agent {} restarts in {} ms (restart {} of at most {}): {}", id, delay.toMillis(), restartCount,
            policy.maxRetries(), reason);
        persist(AgentPatch.builder().status(state.wireName()).restartCount(restartCount));
        publish();
        pendingRestart = rt.scheduler.schedule(() -> serial.execute(() -> {
            if (state == AgentState.RESTARTING && intent == Intent.NONE) {
                launch("automatic restart " + restartCount);
            }
        }), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void manualStart(CompletableFuture<AgentStatus> f) {
        desired = DesiredState.RUNNING;
        restartCount = 0;
        cancelPendingRestart();
        persist(AgentPatch.builder().desiredState(desired).restartCount(0));
        if (alive()) {
            if (state == AgentState.STOPPING) {
                intent = Intent.RESTART;
                waiters.add(f);
            } else {
                f.complete(snapshot);
            }
            return;
        }
        if (!settings.enabled()) {
            f.completeExceptionally(new IllegalStateException("agent " + id + " is disabled in its configuration"
                + " (enabled = false)"));
            return;
        }
        waiters.add(f);
        launch("started by an operator");
    }

    private void manualStop(CompletableFuture<AgentStatus> f) {
        desired = DesiredState.STOPPED;
        cancelPendingRestart();
        persist(AgentPatch.builder().desiredState(desired));
        if (!alive()) {
            state = AgentState.STOPPED;
            persist(AgentPatch.builder().status(state.wireName()));
            publish();
            f.complete(snapshot);
            return;
        }
        waiters.add(f);
        if (state != AgentState.STOPPING) {
            intent = Intent.STOP;
            state = AgentState.STOPPING;
            beginKill();
            publish();
        } else {
            intent = Intent.STOP;
        }
    }

    private void manualRestart(CompletableFuture<AgentStatus> f) {
        desired = DesiredState.RUNNING;
        restartCount = 0;
        cancelPendingRestart();
        persist(AgentPatch.builder().desiredState(desired).restartCount(0));
        if (!settings.enabled()) {
            f.completeExceptionally(new IllegalStateException("agent " + id + " is disabled in its configuration"
                + " (enabled = false)"));
            return;
        }
        waiters.add(f);
        if (alive()) {
            intent = Intent.RESTART;
            if (state != AgentState.STOPPING) {
                state = AgentState.RESTARTING;
                beginKill();
                publish();
            }
        } else {
            launch("restarted by an operator");
        }
    }

    private void reconfigure(AgentSettings next) {
        AgentSettings previous = settings;
        settings = next;
        configurationProblem = null;
        if (!next.version().equals(previous.version()) && !next.version().isEmpty()) {
            persist(AgentPatch.builder().version(next.version()));
        }
        if (log != null) {
            log.settings(next.logs().maxSize(), next.logs().maxFiles(), next.logs().compress());
        }
        if (thresholds != null) {
            thresholds.limits(next.health().cpuThreshold(), next.health().memoryThreshold(),
                next.health().thresholdDuration());
        }
        boolean relaunch = !next.launch().sameLaunch(previous.launch());
        if (!next.enabled()) {
            if (alive()) {
                intent = Intent.STOP;
                state = AgentState.STOPPING;
                beginKill();
            } else {
                cancelPendingRestart();
                state = AgentState.STOPPED;
            }
            LOG.info("agent {} is disabled by its configuration", id);
        } else if (relaunch && alive()) {
            LOG.info("agent {}: its launch settings changed; restarting it", id);
            intent = Intent.RESTART;
            state = AgentState.RESTARTING;
            beginKill();
        } else if (!alive() && desired == DesiredState.RUNNING
            && (state == AgentState.STOPPED || state == AgentState.FAILED || state == AgentState.WAITING_FOR_TYPE)) {
            launch("configured");
            return;
        } else if (alive() && !next.health().interval().equals(previous.health().interval())) {
            cancelTimers();
            scheduleWatch(generation);
        }
        publish();
    }

    private void typeArrived() {
        if (state == AgentState.WAITING_FOR_TYPE && types.containsKey(settings.launch().type())) {
            launch("its type " + settings.launch().type() + " was installed");
        }
    }

    private void typeLeft(String type) {
        if (!type.equals(settings.launch().type()) || types.containsKey(type)) {
            return;
        }
        LOG.info("agent {}: its type {} was uninstalled; stopping it", id, type);
        cancelPendingRestart();
        if (alive()) {
            intent = Intent.STOP;
            state = AgentState.STOPPING;
            CompletableFuture<AgentStatus> stopped = new CompletableFuture<>();
            waiters.add(stopped);
            stopped.thenRun(() -> serial.execute(() -> {
                if (!types.containsKey(type) && state == AgentState.STOPPED) {
                    state = AgentState.WAITING_FOR_TYPE;
                    persist(AgentPatch.builder().status(state.wireName()));
                    publish();
                }
            }));
            beginKill();
            publish();
        } else {
            state = AgentState.WAITING_FOR_TYPE;
            publish();
        }
    }

    /** SIGTERM to the process group now, SIGKILL at the stop timeout. */
    private void beginKill() {
        beginKill(true);
    }

    /** With {@code wholeSession} false, SIGTERM goes to the process group only (the runtime does the rest). */
    private void beginKill(boolean wholeSession) {
        if (!alive()) {
            return;
        }
        long gen = generation;
        long group = pid;
        Duration timeout = stopTimeout();
        if (wholeSession) {
            rt.control.signalSession(rt.procFs, group, ProcessControl.SIGTERM);
        } else {
            rt.control.signalGroup(group, ProcessControl.SIGTERM);
        }
        if (killTimer != null) {
            killTimer.cancel(false);
        }
        killTimer = rt.scheduler.schedule(() -> serial.execute(() -> {
            if (gen == generation && alive()) {
                LOG.warn("agent {} did not stop within {} ms of SIGTERM; sending SIGKILL", id, timeout.toMillis());
                rt.control.signalSession(rt.procFs, group, ProcessControl.SIGKILL);
            }
        }), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- health and resources

    private void scheduleWatch(long gen) {
        AgentSettings.Health h = settings.health();
        if (sampler == null) {
            sampler = new ProcessTreeSampler(rt.procFs, System::nanoTime, Instant::now);
        }
        sampler.reset();
        if (thresholds == null) {
            thresholds = new ThresholdWatch(h.cpuThreshold(), h.memoryThreshold(), h.thresholdDuration());
        }
        thresholds.reset();
        long period = h.interval().toNanos();
        healthTicks = rt.scheduler.scheduleWithFixedDelay(() -> serial.execute(() -> watch(gen)), period, period,
            TimeUnit.NANOSECONDS);
        Duration resetAfter = settings.restart().resetAfter();
        resetTimer = rt.scheduler.schedule(() -> serial.execute(() -> {
            if (gen == generation && state == AgentState.RUNNING && !"unhealthy".equals(health) && restartCount > 0) {
                LOG.info("agent {} ran {} s; its restart count is reset", id, resetAfter.toSeconds());
                restartCount = 0;
                persist(AgentPatch.builder().restartCount(0));
                publish();
            }
        }), resetAfter.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void watch(long gen) {
        if (gen != generation || state != AgentState.RUNNING || !alive()) {
            return;
        }
        long sampledAtNanos = System.nanoTime();
        ResourceSample sample = sampler.sample(pid);
        rt.store.record(id, sample);
        // sample.time() is wall time, which jumps when the clock is set: a run over the limit is timed monotonically
        Optional<String> over = thresholds.observe(sampledAtNanos, sample.cpuPercent(), sample.rssBytes());
        if (over.isPresent()) {
            unhealthy(over.get());
            return;
        }
        Optional<Duration> timeout = settings.health().heartbeatTimeout();
        if (timeout.isPresent()) {
            long silent = System.nanoTime() - lastHeartbeatNanos;
            if (silent > timeout.get().toNanos()) {
                unhealthy("no heartbeat for " + Duration.ofNanos(silent).toSeconds() + " s (timeout "
                    + timeout.get().toSeconds() + " s)");
                return;
            }
        }
        List<java.util.function.Supplier<ProbeResult>> probes = probes();
        if (probes.isEmpty()) {
            healthy();
            return;
        }
        if (probing) {
            return;
        }
        probing = true;
        rt.probes.execute(() -> {
            ProbeResult failed = null;
            for (var probe : probes) {
                ProbeResult r = probe.get();
                if (!r.healthy()) {
                    failed = r;
                    break;
                }
            }
            ProbeResult result = failed;
            serial.execute(() -> {
                probing = false;
                if (gen != generation || state != AgentState.RUNNING) {
                    return;
                }
                if (result == null) {
                    healthy();
                } else {
                    unhealthy(result.detail());
                }
            });
        });
    }

    private List<java.util.function.Supplier<ProbeResult>> probes() {
        AgentSettings.Health h = settings.health();
        Duration timeout = h.interval().compareTo(Duration.ofSeconds(5)) < 0 ? h.interval() : Duration.ofSeconds(5);
        List<java.util.function.Supplier<ProbeResult>> out = new ArrayList<>();
        Optional<java.net.URI> url = h.httpUrl();
        if (url.isEmpty() && h.typeProbe()) {
            AgentType type = types.get(settings.launch().type());
            if (type != null) {
                url = type.defaultHttpProbe(settings.launch().definition()).map(java.net.URI::create);
            }
        }
        url.ifPresent(u -> {
            HttpProbe probe = new HttpProbe(u, timeout);
            out.add(probe::probe);
        });
        h.tcpAddress().ifPresent(a -> {
            TcpProbe probe = new TcpProbe(a, timeout);
            out.add(probe::probe);
        });
        return out;
    }

    private void healthy() {
        if (!"healthy".equals(health)) {
            health = "healthy";
            healthReason = "";
            persist(AgentPatch.builder().health(health, healthReason));
            publish();
        }
    }

    private void unhealthy(String reason) {
        health = "unhealthy";
        healthReason = reason;
        lastRestartReason = "unhealthy: " + reason;
        LOG.warn("agent {} is unhealthy ({}); restarting it", id, reason);
        persist(AgentPatch.builder().health(health, healthReason));
        intent = Intent.UNHEALTHY;
        state = AgentState.RESTARTING;
        beginKill();
        publish();
    }

    // ---- helpers

    private boolean alive() {
        return handle != null && handle.isAlive();
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {healthTicks, resetTimer, killTimer}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        healthTicks = null;
        resetTimer = null;
        killTimer = null;
        probing = false;
    }

    private void cancelPendingRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        if (state == AgentState.RESTARTING && !alive()) {
            state = AgentState.STOPPED;
        }
    }

    private LastExit exitOf(Instant now) {
        if (process == null) {
            return new LastExit(now, OptionalInt.empty(), Optional.empty()); // adopted: not our child, no status
        }
        int code = process.exitValue();
        // a child killed by a signal reports 128 + the signal number
        return code > 128 && code < 160 ? LastExit.signal(now, ProcessControl.signalName(code - 128))
            : LastExit.code(now, code);
    }

    private static String describe(LastExit exit) {
        if (exit.signal().isPresent()) {
            return "killed by " + exit.signal().get();
        }
        return exit.code().isPresent() ? "exit code " + exit.code().getAsInt() : "exit status unknown";
    }

    private AgentLog openLog() {
        AgentSettings.Logs l = settings.logs();
        return new AgentLog(rt.logDir.resolve(id), l.maxSize(), l.maxFiles(), l.compress(), TAIL_LINES);
    }

    private Path logFile() throws IOException {
        Path dir = Files.createDirectories(rt.logDir.resolve(id));
        return dir.resolve("agent.log");
    }

    private void persist(AgentPatch.Builder patch) {
        if (retired) {
            return;
        }
        try {
            rt.store.update(id, patch.build());
        } catch (RuntimeException e) {
            LOG.warn("agent {}: cannot record its state: {}", id, e.toString());
        }
    }

    private void completeWaiters() {
        AgentStatus s = snapshot;
        for (CompletableFuture<AgentStatus> w : waiters) {
            w.complete(s);
        }
        waiters.clear();
    }

    private void publish() {
        snapshot = status(state);
        rt.publish(snapshot);
    }

    private AgentStatus status(AgentState s) {
        return new AgentStatus(id, settings.launch().type(), settings.name(), s, desired, pid,
            Optional.ofNullable(startTime).filter(t -> pid > 0), restartCount, lastExit, health, healthReason,
            Optional.ofNullable(lastRestartReason), Optional.ofNullable(configurationProblem),
            log == null ? List.of() : log.tail());
    }

}
