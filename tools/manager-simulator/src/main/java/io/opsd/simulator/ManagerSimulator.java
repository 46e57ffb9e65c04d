package io.opsd.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

/**
 * The simulated Manager: the gRPC server (manager.ManagerService and proto.DaemonService/SyncAgentStates) and the
 * control HTTP endpoint, sharing one record of calls, nodes, agent states and modes.
 */
public final class ManagerSimulator implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    private final SimulatorOptions options;
    private final StalledCalls stalled = new StalledCalls();
    private final Server grpcServer;
    private final ControlServer controlServer;

    public ManagerSimulator(SimulatorOptions options, Clock clock) throws IOException {
        this.options = options;
        CallRecorder recorder = new CallRecorder();
        NodeRegistry nodes = new NodeRegistry();
        AgentStateStore states = new AgentStateStore();
        FaultModes modes = new FaultModes();
        FaultResponder faults = new FaultResponder(stalled);
        RecordingInterceptor interceptor = new RecordingInterceptor(recorder, modes, options.token(), clock);
        this.grpcServer = serverBuilder(options)
            .addService(ServerInterceptors.intercept(new SimulatedManagerService(nodes, faults, clock), interceptor))
            .addService(ServerInterceptors.intercept(new SimulatedAgentStateSync(states, faults, clock), interceptor))
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            // nodes may ping as often as the old daemon allowed its Manager (30 s), even between calls
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .build();
        this.controlServer = new ControlServer(options.controlPort(), recorder, nodes, states, modes,
            new NodeCallback(nodes, options.nodeToken(), options.nodeCa()), new FleetPush(nodes, options.nodeCa()));
    }

    public ManagerSimulator start() throws IOException {
        try {
            grpcServer.start();
        } catch (IOException e) {
            controlServer.stop();
            throw new IOException("cannot serve gRPC on " + hostPort(options.bind(), options.port()) + ": "
                + rootMessage(e) + (options.port() == SimulatorOptions.DEFAULT_PORT
                    ? " (is a Manager already running? pick another --port)" : ""), e);
        }
        controlServer.start();
        return this;
    }

    public int grpcPort() {
        return grpcServer.getPort();
    }

    public int controlPort() {
        return controlServer.address().getPort();
    }

    /** {@code simulator grpc=127.0.0.1:9090 control=127.0.0.1:43211}: what tests parse to find the ports. */
    public String portsLine() {
        return "simulator grpc=" + hostPort(options.bind(), grpcPort()) + " control="
            + hostPort(controlServer.address().getAddress().getHostAddress(), controlPort());
    }

    public void awaitTermination() throws InterruptedException {
        grpcServer.awaitTermination();
    }

    /** Ends stalled calls with UNAVAILABLE, stops both servers; waits at most a few seconds. */
    @Override
    public void close() {
        controlServer.stop();
        grpcServer.shutdown();
        stalled.releaseAll(Status.UNAVAILABLE.withDescription("manager simulator stopping"));
        try {
            if (!grpcServer.awaitTermination(5, TimeUnit.SECONDS)) {
                grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            grpcServer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static NettyServerBuilder serverBuilder(SimulatorOptions options) throws IOException {
        InetSocketAddress address = new InetSocketAddress(options.bind(), options.port());
        if (!options.tls()) {
            return NettyServerBuilder.forAddress(address, InsecureServerCredentials.create());
        }
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(options.tlsCert().toFile(), options.tlsKey().toFile());
            if (options.clientCa() != null) {
                tls.trustManager(options.clientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            // the PEM files are parsed here, not at start()
            return NettyServerBuilder.forAddress(address, tls.build());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot use --tls-cert " + options.tlsCert() + " / --tls-key " + options.tlsKey()
                + (options.clientCa() == null ? "" : " / --client-ca " + options.clientCa())
                + " (PEM certificate chain and PEM PKCS#8 key expected): " + rootMessage(e), e);
        }
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && depth < 10; depth++) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }
}
