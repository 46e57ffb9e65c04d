package io.opsd.grpc.server.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.opsd.api.admin.AdminAccess;
import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.ConfigurationAdministration;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.node.AdvertisedPort;
import io.opsd.api.store.MetadataStore;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.daemon.DaemonServiceGrpc;

/**
 * The gRPC endpoint: {@code proto.DaemonService}, gRPC health (per service) and server reflection, on
 * {@code bind:port}. A configuration change stops this server gracefully and starts the new one; nothing else in
 * the node is touched. A refused configuration fails the activation: nothing listens, the log says why, and
 * {@code /ready} lists the component.
 */
@Component(configurationPid = "io.opsd.grpc.server", service = {}, immediate = true)
@Designate(ocd = GrpcServerConfig.class)
public final class GrpcServer {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    /** The Manager sends 10 MiB messages at most; the old server accepted that much. */
    static final int MAX_MESSAGE_BYTES = 10 << 20;
    /** The Manager pings every 45 s; the old server allowed pings every 30 s, also with no call open. */
    static final long PERMITTED_PING_SECONDS = 20;

    private final ServerSettings settings;
    private final HealthStatusManager health = new HealthStatusManager();
    private final CallsInFlight inFlight = new CallsInFlight();
    /** Bound and unbound while the server runs: the admin bundle can come and go without a restart. */
    private final AdminServices admin = new AdminServices();
    /** Runs BundleUpload.finish(), which waits up to the activation timeout, off the gRPC threads. */
    private final ExecutorService installs;
    private final Server server;
    /** Registered once the server listens, so the Manager link advertises the port really in use. */
    private final ServiceRegistration<AdvertisedPort> advertised;

    @Activate
    public GrpcServer(@Reference(name = "agents") AgentManager agents, @Reference(name = "store") MetadataStore store,
                      GrpcServerConfig config, Map<String, Object> props, BundleContext context) throws IOException {
        try {
            settings = ServerSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("gRPC server not started: {}", e.getMessage());
            throw e;
        }
        if (!settings.enabled()) {
            installs = null;
            server = null;
            advertised = null;
            LOG.info("gRPC server disabled (enabled = false in io.opsd.grpc.server)");
            return;
        }
        NettyServerBuilder builder = NettyServerBuilder.forAddress(settings.address())
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .maxInboundMetadataSize(64 << 10)
            .permitKeepAliveTime(PERMITTED_PING_SECONDS, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .keepAliveTime(2, TimeUnit.MINUTES)
            .keepAliveTimeout(20, TimeUnit.SECONDS);
        if (settings.tls().isPresent()) {
            try {
                builder.sslContext(sslContext(settings.tls().get()));
            } catch (IOException | RuntimeException e) {
                String message = "gRPC server not started: TLS is configured but unusable (" + e.getMessage()
                    + "); fix tls.cert_file, tls.key_file or tls.client_ca_file in io.opsd.grpc.server";
                LOG.error(message);
                throw new InvalidConfigurationException(message);
            }
        }
        var daemon = ServerInterceptors.intercept(
            CheckedRequests.of(new DaemonServiceImpl(agents, store, Clock.systemUTC()).bindService()),
            Interceptors.exceptionBarrier(), Interceptors.token(settings.token()), Interceptors.counting(inFlight));
        installs = Executors.newFixedThreadPool(2, DaemonThreads.numbered("opsd-grpc-admin-install"));
        // not behind the DaemonService token: NodeAdmin callers present the admin credentials, loopback included
        var nodeAdmin = ServerInterceptors.intercept(
            CheckedRequests.of(new NodeAdminService(admin, installs).bindService()),
            new AdminAuthentication(admin), Interceptors.exceptionBarrier(), Interceptors.counting(inFlight));
        builder.addService(daemon)
            .addService(nodeAdmin)
            .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(),
                Interceptors.token(settings.token())))
            .addService(ServerInterceptors.intercept(reflectionV1Alpha(), Interceptors.token(settings.token())))
            .addService(health.getHealthService());
        try {
            server = builder.build().start();
        } catch (IOException e) {
            installs.shutdown();
            String message = "gRPC server not started: cannot listen on " + settings.describe() + ": " + e.getMessage()
                + " (another process may hold the port; change port or bind in io.opsd.grpc.server)";
            LOG.error(message);
            throw new IOException(message, e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(DaemonServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(NodeAdminGrpc.SERVICE_NAME, ServingStatus.SERVING);
        int port = server.getPort();
        advertised = context.registerService(AdvertisedPort.class, new AdvertisedPort() {
            @Override
            public String name() {
                return "grpc";
            }

            @Override
            public int port() {
                return port;
            }
        }, new java.util.Hashtable<>(Map.of(AdvertisedPort.ENDPOINT,
            settings.address().getAddress().getHostAddress() + ":" + port)));
        LOG.info("gRPC DaemonService listening on {}", settings.describe());
        if (settings.allowInsecure() && settings.tls().isEmpty() && settings.token().isEmpty()
            && !settings.address().getAddress().isLoopbackAddress()) {
            LOG.warn("gRPC DaemonService on {} has neither TLS nor a token (allow_insecure = true): anyone who"
                + " can reach it can start and stop agents", settings.describe());
        }
    }

    @Reference(name = "adminAccess", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
               policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAdminAccess")
    void setAdminAccess(AdminAccess service) {
        admin.bindAccess(service);
    }

    void unsetAdminAccess(AdminAccess service) {
        admin.unbindAccess(service);
    }

    @Reference(name = "bundleAdministration", cardinality = ReferenceCardinality.OPTIONAL,
               policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
               unbind = "unsetBundleAdministration")
    void setBundleAdministration(BundleAdministration service) {
        admin.bindBundles(service);
    }

    void unsetBundleAdministration(BundleAdministration service) {
        admin.unbindBundles(service);
    }

    @Reference(name = "configurationAdministration", cardinality = ReferenceCardinality.OPTIONAL,
               policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
               unbind = "unsetConfigurationAdministration")
    void setConfigurationAdministration(ConfigurationAdministration service) {
        admin.bindConfigurations(service);
    }

    void unsetConfigurationAdministration(ConfigurationAdministration service) {
        admin.unbindConfigurations(service);
    }

    @SuppressWarnings("deprecation") // v1alpha is what older grpcurl and Manager tooling still ask for
    private static io.grpc.BindableService reflectionV1Alpha() {
        return ProtoReflectionService.newInstance();
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(ServerSettings.TlsFiles files)
        throws IOException {
        ReloadingTls tls = new ReloadingTls(files);
        SslContextBuilder ssl = SslContextBuilder.forServer(tls.keyManager());
        tls.trustManager().ifPresent(trust -> ssl.trustManager(trust).clientAuth(ClientAuth.REQUIRE));
        // the JDK engine asks the key manager at every handshake, which is what lets a rotated file take effect
        return GrpcSslContexts.configure(ssl, SslProvider.JDK).build();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (server == null) {
            return;
        }
        advertised.unregister();
        health.enterTerminalState(); // watchers see NOT_SERVING
        server.shutdown(); // no new calls; those in flight go on
        int left = inFlight.awaitNone(settings.shutdownGrace());
        if (left > 0) {
            LOG.warn("gRPC server stopping: {} calls still running after {} ms are cancelled", left,
                settings.shutdownGrace().toMillis());
        }
        server.shutdownNow(); // health watches and whatever outlived the grace
        installs.shutdown(); // an install being finished completes or rolls back on the admin side
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("gRPC server on {} did not terminate within 5 s", settings.describe());
        }
        LOG.info("gRPC server on {} stopped", settings.describe());
    }
}
