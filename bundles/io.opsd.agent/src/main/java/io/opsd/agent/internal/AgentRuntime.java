package io.opsd.agent.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.agent.AgentListener;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.api.store.MetadataStore;

/**
 * What every supervisor of this bundle shares: the timers and the pool their actors run on, the one long-lived
 * thread that starts processes, the probe pool, the event thread that tells {@link AgentListener}s, the store,
 * process control, the host's user accounts, and where work and log directories go.
 * <p>
 * It also holds the stop of all agents together: when the bundle or the framework stops, SCR deactivates the
 * supervisors one after another, so the first of them asks this runtime to signal every agent at once
 * ({@link #stopAllAgents()}), and each supervisor then only waits for its own agent against the common deadline.
 */
@Component(service = AgentRuntime.class)
public final class AgentRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);

    final MetadataStore store;
    final ProcessControl control;
    final ProcFs procFs;
    final Accounts accounts;
    final Path dataDir;
    final Path logDir;
    final ScheduledExecutorService scheduler;
    final ExecutorService actors;
    final ExecutorService probes;
    /** pdeathsig is tied to the thread that forks: one thread, alive as long as this component, starts agents */
    private final ExecutorService launcher;
    private final ExecutorService events;
    private final List<AgentListener> listeners = new CopyOnWriteArrayList<>();
    /** null outside a framework (tests) */
    private final Bundle systemBundle;
    private final Set<StoppedTogether> supervisors = ConcurrentHashMap.newKeySet();
    private final Object shutdownLock = new Object();
    /** when {@link #stopAllAgents()} first ran (System.nanoTime), or null before */
    private Long shutdownStartedNanos;

    /**
     * At opsd's stop, an agent's stop.timeout is cut to this: with {@link AgentSupervisor}'s margin after SIGKILL
     * the agents are all gone within 27 s, inside the launcher's 30 s limit (Node.STOP_LIMIT), so the JVM never
     * exits before its agents are stopped.
     */
    static final Duration SHUTDOWN_STOP_LIMIT = Duration.ofSeconds(20);

    /** The stop timeout in force while opsd stops: {@code configured}, cut to {@link #SHUTDOWN_STOP_LIMIT}. */
    static Duration shutdownStopTimeout(Duration configured) {
        return configured.compareTo(SHUTDOWN_STOP_LIMIT) > 0 ? SHUTDOWN_STOP_LIMIT : configured;
    }

    /** A supervisor, as the shutdown of all agents sees it. */
    interface StoppedTogether {
        /**
         * Sends SIGTERM to the agent's process group now (unless it is meant to outlive opsd) and starts nothing
         * any more; then tells {@code signalled} the group's id (its session's), or 0 when nothing was signalled.
         */
        void stopForShutdown(LongConsumer signalled);
    }

    @Activate
    public AgentRuntime(BundleContext context, @Reference(name = "store") MetadataStore store) {
        this(store, new ProcessControl(), ProcFs.system(), Accounts.system(), RuntimePaths.dataDir(context),
            RuntimePaths.logDir(context).resolve("agents"), context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION));
    }

    AgentRuntime(MetadataStore store, ProcessControl control, ProcFs procFs, Accounts accounts, Path dataDir,
                 Path logDir, Bundle systemBundle) {
        this.systemBundle = systemBundle;
        this.store = store;
        this.control = control;
        this.procFs = procFs;
        this.accounts = accounts;
        this.dataDir = dataDir;
        this.logDir = logDir;
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("opsd-agent-timer"));
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
        this.actors = endingWhenIdle(4, "opsd-agent-supervisor");
        this.probes = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            DaemonThreads.numbered("opsd-agent-probe"), new ThreadPoolExecutor.CallerRunsPolicy());
        this.launcher = Executors.newSingleThreadExecutor(DaemonThreads.numbered("opsd-agent-launcher"));
        this.events = endingWhenIdle(1, "opsd-agent-events");
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        actors.shutdownNow();
        probes.shutdownNow();
        events.shutdown();
        launcher.shutdown();
    }

    void register(StoppedTogether supervisor) {
        supervisors.add(supervisor);
    }

    void unregister(StoppedTogether supervisor) {
        supervisors.remove(supervisor);
    }

    /** Whether the whole framework is stopping (opsd exits), whatever the reason SCR gives a component. */
    boolean frameworkStopping() {
        return systemBundle != null && systemBundle.getState() == Bundle.STOPPING;
    }

    /**
     * Signals every registered supervisor's agent at once, the first time only.
     *
     * @return when that first call was (System.nanoTime): the common start of every agent's stop timeout
     */
    long stopAllAgents() {
        List<StoppedTogether> all;
        long started;
        synchronized (shutdownLock) {
            if (shutdownStartedNanos != null) {
                return shutdownStartedNanos;
            }
            started = System.nanoTime();
            shutdownStartedNanos = started;
            all = List.copyOf(supervisors);
        }
        LOG.info("stopping the agents together: SIGTERM to every process group at once ({} supervisors; those with"
            + " keep_running_on_exit are left running)", all.size());
        AtomicInteger left = new AtomicInteger(all.size());
        Set<Long> sessions = ConcurrentHashMap.newKeySet();
        LongConsumer signalled = session -> {
            if (session > 1) {
                sessions.add(session);
            }
            if (left.decrementAndGet() == 0) {
                int others = signalOutsideTheirGroups(sessions);
                LOG.info("every agent was signalled {} ms after the stop began ({} processes outside their agent's"
                    + " process group)", Duration.ofNanos(System.nanoTime() - started).toMillis(), others);
            }
        };
        for (StoppedTogether s : all) {
            s.stopForShutdown(signalled);
        }
        return started;
    }

    /**
     * SIGTERM to the processes of these sessions that made a process group of their own, from one scan of /proc
     * for all agents (a scan per agent took up to 0.3 s each on a loaded machine, and delayed the later agents).
     */
    private int signalOutsideTheirGroups(Set<Long> sessions) {
        if (sessions.isEmpty()) {
            return 0;
        }
        int n = 0;
        try {
            for (ProcFs.Stat s : procFs.all()) {
                if (sessions.contains(s.session()) && s.pgrp() != s.session()
                    && control.signalProcess(s.pid(), ProcessControl.SIGTERM)) {
                    n++;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot signal what the agents left outside their process groups: {}", e.toString());
        }
        return n;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(AgentListener listener) {
        listeners.add(listener);
    }

    void removeListener(AgentListener listener) {
        listeners.remove(listener);
    }

    /** Starts a process on the launcher thread. */
    Process launch(ProcessBuilder builder) throws IOException {
        try {
            return launcher.submit(builder::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + builder.command().get(0), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Tells every listener, in order, off the supervisor's thread. */
    void publish(AgentStatus status) {
        try {
            events.execute(() -> tell(status));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("not telling listeners that {} is {}: the agent runtime has stopped", status.id(), status.state());
        }
    }

    private void tell(AgentStatus status) {
        for (AgentListener l : listeners) {
            try {
                l.changed(status);
            } catch (RuntimeException e) {
                LOG.warn("agent listener {} failed on {}: {}", l.getClass().getName(), status.id(), e.toString());
            }
        }
    }

    /**
     * Up to {@code threads} threads, in order of submission, that end after 10 idle seconds: supervision works in
     * bursts (a start, a health tick, a stop), and an idle node need not keep a thread for each.
     */
    private static ExecutorService endingWhenIdle(int threads, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), DaemonThreads.numbered(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
