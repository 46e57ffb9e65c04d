package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * io.opsd.grpc inside the framework: the grpc jars embedded unmodified keep their META-INF/services, so the
 * registries grpc fills through ServiceLoader find the DNS name resolver, pick_first and the Netty transport
 * through the bundle's class loader. (Flattened jars lose the DNS resolver and pick_first: every channel fails.)
 */
class GrpcRuntimeIT {

    @Test
    void theRegistriesSeeTheProvidersOfTheEmbeddedJars() {
        Bundle grpc = FrameworkUtil.getBundle(Server.class);
        assertEquals("io.opsd.grpc", grpc.getSymbolicName(), "io.grpc comes from the io.opsd.grpc bundle");
        assertEquals(Bundle.ACTIVE, grpc.getState());
        assertNotNull(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("dns"), "dns name resolver");
        assertNotNull(LoadBalancerRegistry.getDefaultRegistry().getProvider("pick_first"), "pick_first");
        assertNotNull(LoadBalancerRegistry.getDefaultRegistry().getProvider("round_robin"), "round_robin");
    }

    @Test
    void aChannelByTargetNameReachesAServerInsideTheFramework() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(health.getHealthService()).build().start();
        // the path the Manager link takes: a target string, resolved by the registry's DNS resolver
        ManagedChannel channel = ManagedChannelBuilder.forTarget("dns:///127.0.0.1:" + server.getPort())
            .usePlaintext().build();
        try {
            health.setStatus("probe", ServingStatus.SERVING);
            assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("probe").build()).getStatus());
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
            server.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
