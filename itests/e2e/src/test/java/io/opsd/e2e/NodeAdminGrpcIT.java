package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.admin.DeleteConfigurationRequest;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UninstallBundleRequest;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;

/**
 * {@code opsd.admin.v1.NodeAdmin} on the real opsd.jar, loopback only, with a real grpc-java client: who may call
 * (not configured, admin token, client certificate subject), the InstallBundle stream's own checks, health and
 * reflection. Each nested class runs one node configured before it starts. {@link WithTheAdminImplementation}
 * depends on the io.opsd.admin bundle's BundleAdministration (tag {@code node-admin-impl}); run it on its own with
 * {@code -Dtest='NodeAdminGrpcIT$WithTheAdminImplementation'}, leave it out with
 * {@code -DexcludedGroups=node-admin-impl}.
 */
class NodeAdminGrpcIT {

    static final String NOT_CONFIGURED = "node administration is not configured";
    static final String ADMIN_TOKEN = "adm1n-token-e2e";
    static final String GRPC_TOKEN = "grpc-token-e2e";
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final long CALL_SECONDS = 15;

    /** One node, configured by {@code configure} before it starts. */
    abstract static class OneNode {
        NodeProcess node;

        abstract void configure(NodeProcess node) throws Exception;

        @BeforeAll
        void startNode() throws Exception {
            node = NodeProcess.newHome("node-admin");
            configure(node);
            node.start();
            node.awaitReady();
            NodeProcess.await(Duration.ofSeconds(30), () -> healthOf(plaintext(), "") == HealthCheckResponse
                .ServingStatus.SERVING, () -> "the gRPC server never served:\n" + node.output());
        }

        @AfterAll
        void stopNode() throws Exception {
            if (node != null) {
                node.close();
            }
        }

        ManagedChannel plaintext() {
            return NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).usePlaintext().build();
        }

        void appendTo(String file, String... lines) throws Exception {
            Path cfg = node.configFile(file);
            Files.writeString(cfg, Files.readString(cfg) + "\n" + String.join("\n", lines) + "\n");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutAdminCredentialsConfigured extends OneNode {

        @Override
        void configure(NodeProcess node) {
        }

        @Test
        void everyNodeAdminMethodAnswersNotConfiguredEvenWithAToken() throws Exception {
            ManagedChannel channel = plaintext();
            try {
                var stub = withToken(NodeAdminGrpc.newBlockingStub(channel), ADMIN_TOKEN);
                List<Runnable> calls = List.of(
                    () -> stub.listBundles(ListBundlesRequest.getDefaultInstance()),
                    () -> stub.uninstallBundle(UninstallBundleRequest.newBuilder().setSymbolicName("x").build()),
                    () -> stub.listConfigurations(ListConfigurationsRequest.getDefaultInstance()),
                    () -> stub.updateConfiguration(UpdateConfigurationRequest.newBuilder().setPid("p").build()),
                    () -> stub.deleteConfiguration(DeleteConfigurationRequest.newBuilder().setPid("p").build()));
                for (Runnable call : calls) {
                    Status s = assertThrows(StatusRuntimeException.class, call::run).getStatus();
                    assertEquals(Status.Code.UNAUTHENTICATED, s.getCode());
                    assertEquals(NOT_CONFIGURED, s.getDescription());
                }
                Status install = install(channel, ADMIN_TOKEN, List.of(header(10)));
                assertEquals(Status.Code.UNAUTHENTICATED, install.getCode());
                assertEquals(NOT_CONFIGURED, install.getDescription());
                Status plain = assertThrows(StatusRuntimeException.class, () -> NodeAdminGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .listBundles(ListBundlesRequest.getDefaultInstance())).getStatus();
                assertEquals(NOT_CONFIGURED, plain.getDescription(), "loopback is no exception");
            } finally {
                channel.shutdownNow();
            }
        }

        @Test
        void healthReportsNodeAdminServingAndReflectionListsIt() throws Exception {
            ManagedChannel channel = plaintext();
            try {
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, healthOf(channel, "opsd.admin.v1.NodeAdmin"));
                assertTrue(reflectedServices(channel).contains("opsd.admin.v1.NodeAdmin"));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAnAdminTokenAndADaemonToken extends OneNode {

        @Override
        void configure(NodeProcess node) throws Exception {
            appendTo("io.opsd.admin.cfg", "admin_token = " + ADMIN_TOKEN);
            appendTo("io.opsd.grpc.server.cfg", "token = " + GRPC_TOKEN);
        }

        @Test
        void noTokenOrAWrongTokenIsUnauthenticated() {
            ManagedChannel channel = plaintext();
            try {
                for (String token : new String[] {null, "guess", GRPC_TOKEN}) {
                    var stub = NodeAdminGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
                    var called = token == null ? stub : withToken(stub, token);
                    Status s = assertThrows(StatusRuntimeException.class,
                        () -> called.listBundles(ListBundlesRequest.getDefaultInstance())).getStatus();
                    assertEquals(Status.Code.UNAUTHENTICATED, s.getCode(), "token " + token);
                    assertNotEquals(NOT_CONFIGURED, s.getDescription());
                }
            } finally {
                channel.shutdownNow();
            }
        }

        @Test
        void theAdminTokenPassesTheCheckAndDaemonServiceKeepsItsOwnToken() {
            ManagedChannel channel = plaintext();
            try {
                Status.Code admin = code(() -> withToken(NodeAdminGrpc.newBlockingStub(channel), ADMIN_TOKEN)
                    .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).listBundles(ListBundlesRequest.getDefaultInstance()));
                assertNotEquals(Status.Code.UNAUTHENTICATED, admin, "OK, or UNAVAILABLE while the admin side is missing");
                Status.Code daemonWithAdmin = code(() -> withToken(DaemonServiceGrpc.newBlockingStub(channel),
                    ADMIN_TOKEN).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAUTHENTICATED, daemonWithAdmin, "the admin token does not open DaemonService");
                Status.Code daemon = code(() -> withToken(DaemonServiceGrpc.newBlockingStub(channel), GRPC_TOKEN)
                    .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).listAgents(ListAgentsRequest.getDefaultInstance()));
                assertEquals(Status.Code.OK, daemon);
            } finally {
                channel.shutdownNow();
            }
        }

        @Test
        void installWithDataBeforeTheHeaderOrWithoutHeaderIsInvalid() throws Exception {
            ManagedChannel channel = plaintext();
            try {
                Status dataFirst = install(channel, ADMIN_TOKEN, List.of(data(new byte[] {1, 2}), header(2)));
                assertEquals(Status.Code.INVALID_ARGUMENT, dataFirst.getCode());
                assertTrue(dataFirst.getDescription().startsWith("data before header"), dataFirst.getDescription());
                Status none = install(channel, ADMIN_TOKEN, List.of());
                assertEquals(Status.Code.INVALID_ARGUMENT, none.getCode());
                assertTrue(none.getDescription().startsWith("missing header"), none.getDescription());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithMutualTlsAndAnAdminSubject extends OneNode {
        TestPki pki;

        @Override
        void configure(NodeProcess node) throws Exception {
            pki = new TestPki(node.home.resolve("pki"));
            pki.authority("ca", "opsd test CA");
            pki.leaf("server", "/CN=opsd-node", "ca", 2, TestPki.SERVER);
            pki.authority("clients-ca", "opsd clients CA");
            // two RDNs, as real subjects have: the commas inside one subject do not split it, ';' separates two
            pki.leaf("manager", "/CN=opsd-manager/O=opsd-e2e", "clients-ca", 3, TestPki.CLIENT);
            pki.leaf("other", "/CN=someone-else", "clients-ca", 4, TestPki.CLIENT);
            appendTo("io.opsd.grpc.server.cfg", "tls.cert_file = " + pki.file("server.pem"),
                "tls.key_file = " + pki.file("server.key"), "tls.client_ca_file = " + pki.file("clients-ca.pem"));
            appendTo("io.opsd.admin.cfg", "admin_subjects = CN=backup,O=opsd-e2e; O=opsd-e2e,CN=opsd-manager");
        }

        @Override
        ManagedChannel plaintext() {
            return tls("manager");
        }

        ManagedChannel tls(String client) {
            try {
                return NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).sslContext(GrpcSslContexts.forClient()
                    .trustManager(pki.file("ca.pem").toFile())
                    .keyManager(pki.file(client + ".pem").toFile(), pki.file(client + ".key").toFile()).build())
                    .build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Test
        void theAdminSubjectsCertificateNeedsNoTokenAndAnotherSubjectIsRefused() {
            ManagedChannel manager = tls("manager");
            ManagedChannel other = tls("other");
            try {
                Status.Code allowed = code(() -> NodeAdminGrpc.newBlockingStub(manager)
                    .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).listBundles(ListBundlesRequest.getDefaultInstance()));
                assertNotEquals(Status.Code.UNAUTHENTICATED, allowed, "OK, or UNAVAILABLE while the admin side is missing");
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> NodeAdminGrpc
                    .newBlockingStub(other).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                    .listBundles(ListBundlesRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
                assertTrue(refused.getStatus().getDescription().contains("CN=someone-else"),
                    refused.getStatus().getDescription());
            } finally {
                manager.shutdownNow();
                other.shutdownNow();
            }
        }
    }

    /** Needs the io.opsd.admin bundle's BundleAdministration: run separately until that is merged. */
    @Nested
    @Tag("node-admin-impl")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithTheAdminImplementation extends OneNode {

        @Override
        void configure(NodeProcess node) throws Exception {
            appendTo("io.opsd.admin.cfg", "admin_token = " + ADMIN_TOKEN, "max_bundle_size = 1KiB");
        }

        @Test
        void aHeaderOverMaxBundleSizeIsResourceExhaustedBeforeAnyData() throws Exception {
            ManagedChannel channel = plaintext();
            try {
                Status s = install(channel, ADMIN_TOKEN, List.of(header(1 << 20)));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), String.valueOf(s));
            } finally {
                channel.shutdownNow();
            }
        }

        @Test
        void listBundlesShowsTheCoreBundles() {
            ManagedChannel channel = plaintext();
            try {
                var bundles = withToken(NodeAdminGrpc.newBlockingStub(channel), ADMIN_TOKEN)
                    .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).listBundles(ListBundlesRequest.getDefaultInstance());
                assertTrue(bundles.getBundlesList().stream().anyMatch(b -> b.getSymbolicName().equals("io.opsd.store")
                    && b.getOrigin().equals("core") && b.getState().equals("ACTIVE")), bundles.toString());
            } finally {
                channel.shutdownNow();
            }
        }

        @Test
        void ctlBundlesPrintsATableWithTheStoreAsCore() throws Exception {
            NodeProcess.Result r = NodeProcess.run(node.home, "ctl", "--home", node.home.toString(), "bundles");
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().startsWith("ID"), r.output());
            assertTrue(r.output().contains("SYMBOLIC NAME"), r.output());
            assertTrue(r.output().lines().anyMatch(l -> l.contains("io.opsd.store") && l.contains(" core ")), r.output());
        }
    }

    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    static HealthCheckResponse.ServingStatus healthOf(ManagedChannel channel, String service) {
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
        } catch (StatusRuntimeException e) {
            return HealthCheckResponse.ServingStatus.UNKNOWN;
        }
    }

    static List<String> reflectedServices(ManagedChannel channel) throws Exception {
        BlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).serverReflectionInfo(observer(answers::add));
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        ServerReflectionResponse listed = answers.poll(CALL_SECONDS, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(listed != null, "reflection answered nothing");
        return listed.getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList();
    }

    static <T> StreamObserver<T> observer(Consumer<T> each) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                each.accept(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    static InstallBundleChunk header(long size) {
        return InstallBundleChunk.newBuilder().setHeader(InstallBundleHeader.newBuilder()
            .setFileName("io.acme.e2e-1.0.0.jar").setSize(size).setSha256("00".repeat(32))
            .setSignature(ByteString.copyFrom(new byte[64]))).build();
    }

    static InstallBundleChunk data(byte[] bytes) {
        return InstallBundleChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build();
    }

    /** Sends {@code chunks}, half-closes, and returns the final status. */
    static Status install(ManagedChannel channel, String token, List<InstallBundleChunk> chunks) throws Exception {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        StreamObserver<InstallBundleChunk> request = withToken(NodeAdminGrpc.newStub(channel), token)
            .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS).installBundle(new StreamObserver<InstallBundleResponse>() {
                @Override
                public void onNext(InstallBundleResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    closed.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    closed.complete(Status.OK);
                }
            });
        chunks.forEach(request::onNext);
        request.onCompleted();
        return closed.get(CALL_SECONDS + 5, TimeUnit.SECONDS);
    }
}
