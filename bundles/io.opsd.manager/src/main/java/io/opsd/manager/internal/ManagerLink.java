package io.opsd.manager.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.opsd.api.agent.AgentListener;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricSet;
import io.opsd.api.collector.MetricsView;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.node.AdvertisedPort;
import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.MetadataStore;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.ManagerServiceGrpc;
import io.opsd.grpc.manager.MetricData;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.ReportMetricsRequest;

/**
 * The node as the Manager's client: registers, heartbeats, reports metrics and syncs agent states. Everything
 * runs on one thread of its own, and every call is asynchronous with a deadline, so a slow or absent Manager
 * never blocks another bundle. Reports and state changes go out one at a time, in the order they were made;
 * what cannot be delivered waits in a {@link DiskBuffer} and is replayed first once the Manager is back.
 */
@Component(configurationPid = "io.opsd.manager", service = AgentListener.class, immediate = true)
@Designate(ocd = ManagerLinkConfig.class)
public final class ManagerLink implements AgentListener {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerLink.class);
    static final String PORT_LABEL_PREFIX = "opsd.";
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** States and reports waiting in memory while one is in flight; beyond, they go to disk. */
    private static final int MEMORY_QUEUE = 64;

    private final LinkSettings settings;
    private final NodeIdentity identity;
    private final AgentManager agents;
    private final MetadataStore store;
    private final MetricsView metrics;
    private final Map<String, AdvertisedPort> ports = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService loop;
    /** The loop as an executor for callbacks, which drops them once the link is stopping. */
    private final java.util.concurrent.Executor onLoop = this::onLoop;
    private final ManagedChannel channel;
    private final DiskBuffer buffer;

    // all below are touched on the loop thread only
    private boolean registered;
    private boolean connecting;
    /** A retry of the registration is scheduled. */
    private boolean connectScheduled;
    private boolean registerAgain;
    /** What the Manager knows of the node: when the identity changes (labels, address), it registers again. */
    private NodeInfo registeredAs;
    private Duration retry = FIRST_RETRY;
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private final Map<String, AgentStatus> changed = new LinkedHashMap<>();
    private ScheduledFuture<?> debounce;
    private final Map<String, Instant> reported = new LinkedHashMap<>();
    private final AtomicInteger registrations = new AtomicInteger();

    /** A report or a state sync, to be sent in order. */
    private record Outgoing(DiskBuffer.Kind kind, byte[] payload, long bufferSequence) {
    }

    @Activate
    public ManagerLink(@Reference(name = "identity") NodeIdentity identity,
                       @Reference(name = "agents") AgentManager agents,
                       @Reference(name = "store") MetadataStore store,
                       @Reference(name = "metrics") MetricsView metrics,
                       @Reference(name = "linkMetrics") ManagerLinkMetrics linkMetrics,
                       ManagerLinkConfig config, Map<String, Object> props, BundleContext context) throws IOException {
        this.identity = identity;
        this.agents = agents;
        this.store = store;
        this.metrics = metrics;
        try {
            settings = LinkSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("Manager link not started: {}", e.getMessage());
            throw e;
        }
        if (settings.standalone()) {
            loop = null;
            channel = null;
            buffer = null;
            LOG.info("no Manager configured (address is empty in io.opsd.manager): the node runs standalone");
            return;
        }
        try {
            channel = Channels.open(settings);
        } catch (IOException | RuntimeException e) {
            String message = "Manager link not started: TLS is configured but unusable (" + e.getMessage()
                + "); fix tls.ca_file, tls.cert_file or tls.key_file in io.opsd.manager. Nothing is sent in plaintext";
            LOG.error(message);
            throw new InvalidConfigurationException(message);
        }
        buffer = new DiskBuffer(RuntimePaths.dataDir(context).resolve("manager").resolve("buffer"),
            settings.bufferMax(), linkMetrics::dropped);
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opsd-manager-link");
            t.setDaemon(true);
            return t;
        });
        LOG.info("Manager link to {}", settings.describe());
        loop.execute(this::connect);
        every(settings.heartbeatInterval(), this::heartbeat);
        every(settings.reportInterval(), this::report);
        every(settings.syncInterval(), this::fullSync);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPort(AdvertisedPort port, Map<String, Object> props) {
        ports.put(port.name(), port);
        Object endpoint = props.get(AdvertisedPort.ENDPOINT);
        if (loop != null && endpoint != null) {
            CallbackReach.problem(port.name(), identity.snapshot().address(), endpoint.toString())
                .ifPresent(LOG::warn);
        }
        if (loop != null) {
            onLoop(() -> {
                if (connecting) {
                    registerAgain = true; // the registration in flight does not carry this port
                } else if (registered) {
                    connect(); // the Manager must learn the new port
                }
            });
        }
    }

    void removePort(AdvertisedPort port) {
        ports.remove(port.name(), port);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (loop == null) {
            return;
        }
        loop.shutdownNow();
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        // what was only in memory goes to disk, to be sent by the next link
        for (Outgoing o : queue) {
            if (o.bufferSequence() == 0) {
                try {
                    buffer.append(o.kind(), o.payload());
                } catch (IOException e) {
                    LOG.warn("Manager link: cannot keep an unsent {} on disk: {}", o.kind(), e.toString());
                }
            }
        }
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Manager link stopping: a callback is dropped");
        }
    }

    private void every(Duration interval, Runnable task) {
        loop.scheduleAtFixedRate(guarded(task), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Manager link: a task failed", e);
            }
        };
    }

    // ---- registration

    private void connect() {
        connectScheduled = false;
        if (connecting) {
            return;
        }
        connecting = true;
        // the channel keeps a reconnect backoff of its own (up to 2 minutes): without this, a Manager that is back
        // would be reached that late after a long outage, whatever reconnect_max says
        channel.resetConnectBackoff();
        NodeInfo node = identity.snapshot();
        RegisterNodeRequest.Builder request = RegisterNodeRequest.newBuilder()
            .setNodeId(node.nodeId()).setHostname(node.hostname()).setIp(node.address()).setOs(node.os())
            .setArch(node.arch()).putAllLabels(node.labels()).setDaemonVersion(node.opsdVersion())
            .setAgentVersion(node.opsdVersion());
        ports.values().forEach(p -> request.putLabels(PORT_LABEL_PREFIX + p.name() + "_port", Integer.toString(p.port())));
        RegisterNodeRequest registration = request.build();
        this.<io.opsd.grpc.manager.RegisterNodeResponse>call((stub, o) -> stub.registerNode(registration, o))
            .whenCompleteAsync((answer, failure) -> {
            connecting = false;
            if (failure == null && answer.getSuccess()) {
                boolean again = registrations.getAndIncrement() > 0;
                LOG.info("Manager link: {} with {} as node {} ({}, {})", again ? "registered again" : "registered",
                    settings.address(), node.nodeId(), node.address(), request.getLabelsMap());
                registered = true;
                registeredAs = node;
                retry = FIRST_RETRY;
                if (registerAgain) {
                    registerAgain = false;
                    connect();
                }
                sendNext();
            } else {
                registered = false;
                LOG.warn("Manager link: cannot register with {}: {}; trying again in {} ms", settings.address(),
                    failure == null ? "the Manager answered: " + answer.getMessage() : describe(failure),
                    retry.toMillis());
                scheduleConnect();
            }
        }, onLoop);
    }

    /** Schedules {@code task} after the current backoff, and doubles it (with jitter) up to reconnect_max. */
    private void later(Runnable task) {
        long millis = retry.toMillis();
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        loop.schedule(guarded(task), jittered + millis / 2, TimeUnit.MILLISECONDS);
        Duration doubled = retry.multipliedBy(2);
        retry = doubled.compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax() : doubled;
    }

    private void lost(Throwable failure) {
        if (registered) {
            LOG.warn("Manager link: lost {} ({}); reports and state changes are kept on disk until it is back",
                settings.address(), describe(failure));
        }
        registered = false;
        // several calls fail together when the Manager goes away: one chain of attempts is enough
        if (!connecting && !connectScheduled) {
            scheduleConnect();
        }
    }

    private void scheduleConnect() {
        connectScheduled = true;
        later(() -> {
            if (registered) {
                connectScheduled = false; // registered meanwhile (a new port, a new identity)
            } else {
                connect();
            }
        });
    }

    // ---- heartbeat

    private void heartbeat() {
        if (!registered) {
            return;
        }
        if (!identity.snapshot().equals(registeredAs)) {
            LOG.info("Manager link: the node's identity changed; registering again");
            connect();
            return;
        }
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setNodeId(identity.nodeId())
            .setTimestamp(clock.instant().getEpochSecond()).build();
        this.<io.opsd.grpc.manager.HeartbeatResponse>call((stub, o) -> stub.heartbeat(request, o))
            .whenCompleteAsync((answer, failure) -> {
            if (failure != null) {
                if (registered) {
                    lost(failure);
                }
            } else if (!answer.getSuccess()) {
                LOG.warn("Manager link: the Manager refused a heartbeat ({}); registering again", answer.getMessage());
                registered = false;
                connect();
            }
        }, onLoop);
    }

    // ---- reports

    private void report() {
        ReportMetricsRequest.Builder request = ReportMetricsRequest.newBuilder().setNodeId(identity.nodeId());
        for (CollectorStatus c : metrics.collectors().values()) {
            Optional<MetricSet> latest = c.latest();
            if (latest.isEmpty() || latest.get().time().equals(reported.get(c.name()))) {
                continue; // nothing new since the last report
            }
            MetricSet set = latest.get();
            reported.put(c.name(), set.time());
            request.addMetrics(MetricData.newBuilder().setType(set.collector())
                .setTimestamp(set.time().getEpochSecond()).putAllValues(set.values()));
        }
        if (request.getMetricsCount() > 0) {
            submit(DiskBuffer.Kind.REPORT, request.build().toByteArray());
        }
    }

    // ---- agent states

    @Override
    public void changed(AgentStatus status) {
        if (loop == null) {
            return;
        }
        onLoop.execute(() -> {
            changed.put(status.id(), status);
            if (debounce == null) {
                debounce = loop.schedule(guarded(this::syncChanged), settings.syncDebounce().toMillis(),
                    TimeUnit.MILLISECONDS);
            }
        });
    }

    private void syncChanged() {
        debounce = null;
        if (changed.isEmpty()) {
            return;
        }
        List<AgentStatus> states = List.copyOf(changed.values());
        changed.clear();
        submit(DiskBuffer.Kind.STATES, states(states).toByteArray());
    }

    /** Every agent, changed or not; an empty list is a sign of life, as the old daemon sent. */
    private void fullSync() {
        submit(DiskBuffer.Kind.STATES, states(agents.agents()).toByteArray());
    }

    private SyncAgentStatesRequest states(List<AgentStatus> statuses) {
        SyncAgentStatesRequest.Builder request = SyncAgentStatesRequest.newBuilder().setNodeId(identity.nodeId());
        for (AgentStatus s : statuses) {
            Optional<AgentRecord> record = store.get(s.id());
            request.addStates(AgentState.newBuilder().setAgentId(s.id()).setStatus(s.state().wireName())
                .setPid((int) s.pid()).setType(s.type())
                .setVersion(record.map(AgentRecord::version).orElse(""))
                // always the agent's own last heartbeat, never the time of this report
                .setLastHeartbeat(record.flatMap(AgentRecord::lastHeartbeat).map(Instant::getEpochSecond).orElse(0L)));
        }
        return request.build();
    }

    // ---- ordered delivery

    private void submit(DiskBuffer.Kind kind, byte[] payload) {
        if (!registered || buffer.size() > 0 || queue.size() >= MEMORY_QUEUE) {
            keep(kind, payload);
        } else {
            queue.add(new Outgoing(kind, payload, 0));
        }
        sendNext();
    }

    private void keep(DiskBuffer.Kind kind, byte[] payload) {
        try {
            buffer.append(kind, payload);
        } catch (IOException e) {
            LOG.error("Manager link: cannot buffer a {} on disk ({}); it is lost", kind, e.toString());
        }
    }

    /** Sends the oldest waiting item: first what is on disk, then what is in memory. */
    private void sendNext() {
        if (sending || !registered) {
            return;
        }
        Outgoing next;
        try {
            next = buffer.oldest().map(e -> new Outgoing(e.kind(), e.payload(), e.sequence())).orElse(queue.peek());
        } catch (IOException e) {
            LOG.error("Manager link: cannot read the buffer: {}", e.toString());
            return;
        }
        if (next == null) {
            return;
        }
        sending = true;
        CompletableFuture<String> sent;
        try {
            sent = send(next);
        } catch (InvalidProtocolBufferException e) {
            LOG.error("Manager link: a buffered {} is unreadable and is dropped: {}", next.kind(), e.getMessage());
            sending = false;
            delivered(next);
            loop.execute(this::sendNext);
            return;
        }
        sent.whenCompleteAsync((refusal, failure) -> {
            sending = false;
            if (failure == null && refusal == null) {
                delivered(next);
                sendNext();
            } else if (failure != null) {
                moveQueueToDisk();
                lost(failure);
            } else {
                // the Manager could not store it (a database error): keep it, in order, and try again later
                LOG.warn("Manager link: the Manager did not take a {} ({}); trying again in {} ms", next.kind(),
                    refusal, retry.toMillis());
                moveQueueToDisk();
                later(this::sendNext);
            }
        }, onLoop);
    }

    private void delivered(Outgoing o) {
        if (o.bufferSequence() > 0) {
            try {
                buffer.remove(o.bufferSequence());
            } catch (IOException e) {
                LOG.warn("Manager link: cannot remove a delivered entry from the buffer: {}", e.toString());
            }
        } else {
            queue.poll();
        }
    }

    private void moveQueueToDisk() {
        for (Outgoing o; (o = queue.poll()) != null;) {
            keep(o.kind(), o.payload());
        }
    }

    /** Completes with null when delivered, with the Manager's message when it answered success=false. */
    private CompletableFuture<String> send(Outgoing o) throws InvalidProtocolBufferException {
        if (o.kind() == DiskBuffer.Kind.REPORT) {
            ReportMetricsRequest request = ReportMetricsRequest.parseFrom(o.payload());
            return this.<io.opsd.grpc.manager.ReportMetricsResponse>call((stub, out) -> stub.reportMetrics(request, out))
                .thenApply(a -> a.getSuccess() ? null : a.getMessage());
        }
        SyncAgentStatesRequest request = SyncAgentStatesRequest.parseFrom(o.payload());
        CompletableFuture<io.opsd.grpc.daemon.SyncAgentStatesResponse> answer = new CompletableFuture<>();
        DaemonServiceGrpc.newStub(channel).withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
            .withCallCredentials(Channels.credentials(settings)).syncAgentStates(request, observer(answer));
        return answer.thenApply(a -> a.getSuccess() ? null : a.getMessage());
    }

    // ---- calls

    private <A> CompletableFuture<A> call(
        java.util.function.BiConsumer<ManagerServiceGrpc.ManagerServiceStub, StreamObserver<A>> invocation) {
        CompletableFuture<A> answer = new CompletableFuture<>();
        ManagerServiceGrpc.ManagerServiceStub stub = ManagerServiceGrpc.newStub(channel)
            .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
            .withCallCredentials(Channels.credentials(settings));
        invocation.accept(stub, observer(answer));
        return answer;
    }

    private static <A> StreamObserver<A> observer(CompletableFuture<A> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(A value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                if (!answer.isDone()) {
                    answer.completeExceptionally(Status.INTERNAL.withDescription("no answer").asRuntimeException());
                }
            }
        };
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause() : t;
        if (cause instanceof StatusRuntimeException s) {
            return s.getStatus().getCode() + (s.getStatus().getDescription() == null ? ""
                : ": " + s.getStatus().getDescription());
        }
        return cause.toString();
    }
}
