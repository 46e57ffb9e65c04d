package io.opsd.manager.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

import io.opsd.api.agent.AgentListener;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.collector.MetricsView;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.node.AdvertisedPort;
import io.opsd.api.node.NodeIdentity;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.api.store.MetadataStore;

/**
 * The node as the Manager's client: registers and heartbeats ({@link ManagerSession}), reports metrics
 * ({@link MetricReports}) and syncs agent states ({@link AgentStateSync}), all delivered in order through
 * {@link OrderedDelivery}, which keeps what cannot be delivered in a {@link DiskBuffer}. Everything runs on one
 * thread of its own ({@link LinkThread}), and every call is asynchronous with a deadline, so a slow or absent
 * Manager never blocks another bundle.
 */
@Component(configurationPid = "io.opsd.manager", service = AgentListener.class, immediate = true)
@Designate(ocd = ManagerLinkConfig.class)
public final class ManagerLink implements AgentListener {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerLink.class);

    private final NodeIdentity identity;
    private final Map<String, AdvertisedPort> ports = new ConcurrentHashMap<>();
    // all null when the node runs standalone
    private final LinkThread loop;
    private final GrpcManagerCalls calls;
    private final ManagerSession session;
    private final OrderedDelivery delivery;
    private final AgentStateSync sync;

    @Activate
    public ManagerLink(@Reference(name = "identity") NodeIdentity identity,
                       @Reference(name = "agents") AgentManager agents,
                       @Reference(name = "store") MetadataStore store,
                       @Reference(name = "metrics") MetricsView metrics,
                       @Reference(name = "linkMetrics") ManagerLinkMetrics linkMetrics,
                       ManagerLinkConfig config, Map<String, Object> props, BundleContext context) throws IOException {
        this.identity = identity;
        LinkSettings settings;
        try {
            settings = LinkSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("Manager link not started: {}", e.getMessage());
            throw e;
        }
        if (settings.standalone()) {
            loop = null;
            calls = null;
            session = null;
            delivery = null;
            sync = null;
            LOG.info("no Manager configured (address is empty in io.opsd.manager): the node runs standalone");
            return;
        }
        try {
            calls = new GrpcManagerCalls(Channels.open(settings), settings);
        } catch (IOException | RuntimeException e) {
            String message = "Manager link not started: TLS is configured but unusable (" + e.getMessage()
                + "); fix tls.ca_file, tls.cert_file or tls.key_file in io.opsd.manager. Nothing is sent in plaintext";
            LOG.error(message);
            throw new InvalidConfigurationException(message);
        }
        DiskBuffer buffer = new DiskBuffer(RuntimePaths.dataDir(context).resolve("manager").resolve("buffer"),
            settings.bufferMax(), linkMetrics::dropped);
        loop = new LinkThread();
        Backoff backoff = new Backoff(settings.reconnectMax());
        session = new ManagerSession(loop, calls, backoff, identity, ports.values(), settings.address(),
            Clock.systemUTC(), this::registered);
        delivery = new OrderedDelivery(loop, calls, session, backoff, buffer);
        sync = new AgentStateSync(loop, settings.syncDebounce(), identity::nodeId, agents::agents, store::get,
            delivery::submit);
        MetricReports reports = new MetricReports(metrics);
        LOG.info("Manager link to {}", settings.describe());
        loop.execute(session::connect);
        loop.every(settings.heartbeatInterval(), session::heartbeat);
        loop.every(settings.reportInterval(), () -> reports.next(identity.nodeId()).ifPresent(delivery::submit));
        loop.every(settings.syncInterval(), sync::fullSync);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPort(AdvertisedPort port, Map<String, Object> props) {
        ports.put(port.name(), port);
        if (loop == null) {
            return;
        }
        Object endpoint = props.get(AdvertisedPort.ENDPOINT);
        if (endpoint != null) {
            CallbackReach.problem(port.name(), identity.snapshot().address(), endpoint.toString())
                .ifPresent(LOG::warn);
        }
        loop.execute(session::portsChanged);
    }

    void removePort(AdvertisedPort port) {
        ports.remove(port.name(), port);
    }

    @Override
    public void changed(AgentStatus status) {
        if (sync != null) {
            sync.changed(status);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (loop == null) {
            return;
        }
        loop.stop();
        calls.close();
        delivery.keepUnsent();
    }

    /** Runs on the loop: what waits goes out once the Manager knows the node. */
    private void registered() {
        delivery.sendNext();
    }
}
