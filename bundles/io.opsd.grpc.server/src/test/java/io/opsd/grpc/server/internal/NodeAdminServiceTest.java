package io.opsd.grpc.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opsd.api.admin.AdminAccess;
import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.BundleUpload;
import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.ComponentView;
import io.opsd.api.admin.ConfigurationAdministration;
import io.opsd.api.admin.ConfigurationChange;
import io.opsd.api.admin.ConfigurationUpdate;
import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.admin.Credentials;
import io.opsd.api.admin.InstallHeader;
import io.opsd.api.admin.InstallResult;
import io.opsd.grpc.admin.DeleteConfigurationRequest;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UninstallBundleRequest;
import io.opsd.grpc.admin.UpdateConfigurationRequest;

/** NodeAdmin over an in-process transport, with small fakes of the admin services. */
class NodeAdminServiceTest {

    /** A self-signed certificate with subject O=Acme,CN=manager-1. */
    private static final String CERT = """
        -----BEGIN CERTIFICATE-----
        MIIBnjCCAUOgAwIBAgIUTajDaND8iHGpDY57HshT4DmXG3cwCgYIKoZIzj0EAwIw
        IzENMAsGA1UECgwEQWNtZTESMBAGA1UEAwwJbWFuYWdlci0xMCAXDTI2MTIwNTEw
        MjgwMloYDzIxMjYxMTExMTAyODAyWjAjMQ0wCwYDVQQKDARBY21lMRIwEAYDVQQD
        DAltYW5hZ2VyLTEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATSS/AAmiMl2MUV
        KWohvAtwKWJmDe/Y7Jm+/S+TPYYVf5rDqYPvW2IsiLFj4IHtlkxcEs/i1Mmn3OLK
        yq9blaJno1MwUTAdBgNVHQ4EFgQUgnzTMEBRehdhZaVX04S1VYMIWxUwHwYDVR0j
        BBgwFoAUgnzTMEBRehdhZaVX04S1VYMIWxUwDwYDVR0TAQH/BAUwAwEB/zAKBggq
        hkjOPQQDAgNJADBGAiEAzyH1cSVMKToSHyctxylBObw2SL6EFf9fxvNI8mXghdAC
        IQD6g4vhcgo6/K9ybpzWAci1JdHhwEUydObxCqHMoAoa1A==
        -----END CERTIFICATE-----
        """;

    private final AdminServices services = new AdminServices();
    private final CallsInFlight inFlight = new CallsInFlight();
    private final ExecutorService installs = Executors.newSingleThreadExecutor();
    private final CompletableFuture<Credentials> presented = new CompletableFuture<>();
    private final FakeBundles bundles = new FakeBundles();
    private Server server;
    private ManagedChannel channel;

    private final AdminAccess tokenOnly = credentials -> {
        presented.complete(credentials);
        if (credentials.bearerToken().filter("adm1n"::equals).isPresent()) {
            return new Caller("token", credentials.peer());
        }
        if (credentials.certificateSubject().isPresent()) {
            return new Caller(credentials.certificateSubject().get(), credentials.peer());
        }
        throw new AdminException(AdminException.Code.UNAUTHENTICATED, "invalid admin token");
    };

    private NodeAdminGrpc.NodeAdminBlockingStub blocking(boolean withClientCertificate) throws Exception {
        String name = InProcessServerBuilder.generateName();
        var builder = InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(
                CheckedRequests.of(new NodeAdminService(services, installs).bindService()),
                new AdminAuthentication(services), Interceptors.exceptionBarrier(), Interceptors.counting(inFlight)));
        if (withClientCertificate) {
            SSLSession session = session((Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(CERT.getBytes(StandardCharsets.US_ASCII))));
            builder.addTransportFilter(new ServerTransportFilter() {
                @Override
                public Attributes transportReady(Attributes attributes) {
                    return attributes.toBuilder().set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session).build();
                }
            });
        }
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        return NodeAdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private NodeAdminGrpc.NodeAdminStub async(String token) {
        Metadata headers = new Metadata();
        headers.put(Interceptors.AUTHORIZATION, "Bearer " + token);
        return NodeAdminGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Interceptors.AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static SSLSession session(Certificate certificate) {
        return (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(), new Class<?>[] {SSLSession.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getPeerCertificates" -> new Certificate[] {certificate};
                case "hashCode" -> 1;
                case "equals" -> proxy == args[0];
                default -> null;
            });
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        installs.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void withoutAdminAccessEveryCallIsUnauthenticatedNotConfigured() throws Exception {
        var stub = withToken(blocking(false), "adm1n");
        List<Runnable> calls = List.of(
            () -> stub.listBundles(ListBundlesRequest.getDefaultInstance()),
            () -> stub.uninstallBundle(UninstallBundleRequest.newBuilder().setSymbolicName("x").build()),
            () -> stub.listConfigurations(ListConfigurationsRequest.getDefaultInstance()),
            () -> stub.updateConfiguration(UpdateConfigurationRequest.newBuilder().setPid("p").build()),
            () -> stub.deleteConfiguration(DeleteConfigurationRequest.newBuilder().setPid("p").build()));
        for (Runnable call : calls) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            assertEquals("node administration is not configured", e.getStatus().getDescription());
        }
        Status install = install(async("adm1n"), List.of(header(3))).status;
        assertEquals(Status.Code.UNAUTHENTICATED, install.getCode());
        assertEquals("node administration is not configured", install.getDescription());
        assertEquals(0, inFlight.awaitNone(Duration.ofSeconds(5)), "refused calls are counted out too");
    }

    @Test
    void anAuthenticatedCallWithoutTheAdminServiceIsUnavailable() throws Exception {
        services.bindAccess(tokenOnly);
        var stub = withToken(blocking(false), "adm1n");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> stub.listBundles(ListBundlesRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("node administration is not running", e.getStatus().getDescription());
    }

    @Test
    void aWrongTokenIsRefusedWithTheAccessChecksMessage() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        var stub = withToken(blocking(false), "guess");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> stub.listBundles(ListBundlesRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals("invalid admin token", e.getStatus().getDescription());
    }

    @Test
    void theBearerTokenAndPeerArePassedToTheAccessCheck() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        var listed = withToken(blocking(false), "adm1n").listBundles(ListBundlesRequest.getDefaultInstance());
        Credentials c = presented.get(5, TimeUnit.SECONDS);
        assertEquals("adm1n", c.bearerToken().orElseThrow());
        assertTrue(c.certificateSubject().isEmpty());
        assertFalse(c.peer().isEmpty());
        assertEquals("io.acme.gpio", listed.getBundles(0).getSymbolicName());
        assertEquals("ACTIVE", listed.getBundles(0).getComponents(0).getState());
        assertEquals("admin", listed.getBundles(0).getOrigin());
    }

    @Test
    void theClientCertificateSubjectIsPassedAsRfc2253() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        blocking(true).listBundles(ListBundlesRequest.getDefaultInstance());
        Credentials c = presented.get(5, TimeUnit.SECONDS);
        assertEquals("CN=manager-1,O=Acme", c.certificateSubject().orElseThrow());
        assertTrue(c.bearerToken().isEmpty());
    }

    @Test
    void anAdminExceptionBecomesTheStatusOfTheSameName() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        var stub = withToken(blocking(false), "adm1n");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.uninstallBundle(
            UninstallBundleRequest.newBuilder().setSymbolicName("io.opsd.store").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("io.opsd.store is a core bundle", e.getStatus().getDescription());
        assertEquals("token", bundles.uninstalledBy.name());
        for (AdminException.Code code : AdminException.Code.values()) {
            assertEquals(code.name(), AdminStatus.of(new AdminException(code, "m")).getCode().name());
        }
        Status tooBig = install(async("adm1n"), List.of(header(FakeBundles.LIMIT + 1), data("ab"))).status;
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getCode());
        assertTrue(bundles.uploads.isEmpty(), "refused at the header: no upload was begun");
    }

    @Test
    void aBundleIsWrittenChunkByChunkAndFinishedAtHalfClose() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        blocking(false);
        Outcome outcome = install(async("adm1n"), List.of(header(4), data("ab"), data("cd")));
        assertEquals(Status.Code.OK, outcome.status.getCode(), String.valueOf(outcome.status));
        assertEquals("io.acme.gpio", outcome.response.getBundle().getSymbolicName());
        assertTrue(outcome.response.getReplaced());
        assertEquals("1.0.0", outcome.response.getPreviousVersion());
        FakeUpload upload = bundles.uploads.get(0);
        assertArrayEquals("abcd".getBytes(StandardCharsets.US_ASCII), upload.bytes.toByteArray());
        assertEquals(Duration.ZERO, upload.header.activationTimeout(), "0 leaves the default to the admin side");
        assertArrayEquals(new byte[64], upload.header.signature());
        assertTrue(upload.finishedOn.startsWith("pool-"), "finish ran on the install executor: " + upload.finishedOn);
        assertFalse(upload.aborted.isDone());
    }

    @Test
    void dataBeforeTheHeaderIsInvalid() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        blocking(false);
        Status s = install(async("adm1n"), List.of(data("ab"), header(2))).status;
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().startsWith("data before header"), s.getDescription());
    }

    @Test
    void aStreamWithoutHeaderIsInvalid() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        blocking(false);
        Status s = install(async("adm1n"), List.of()).status;
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().startsWith("missing header"), s.getDescription());
    }

    @Test
    void aSecondHeaderIsInvalidAndAbortsTheUpload() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        blocking(false);
        Status s = install(async("adm1n"), List.of(header(2), data("ab"), header(2))).status;
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().startsWith("a second header"), s.getDescription());
        assertTrue(bundles.uploads.get(0).aborted.get(5, TimeUnit.SECONDS).contains("INVALID_ARGUMENT"));
    }

    @Test
    void aStreamCutAfterTheHeaderAbortsTheUpload() throws Exception {
        services.bindAccess(tokenOnly);
        services.bindBundles(bundles);
        blocking(false);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        var request = (ClientCallStreamObserver<InstallBundleChunk>) async("adm1n").installBundle(
            observer(new CompletableFuture<>(), closed));
        request.onNext(header(4));
        request.onNext(data("ab"));
        FakeUpload upload = bundles.begun.get(5, TimeUnit.SECONDS);
        request.cancel("operator pressed ^C", null);
        assertTrue(upload.aborted.get(5, TimeUnit.SECONDS).contains("CANCELLED"));
        assertFalse(upload.finished);
    }

    @Test
    void configurationsAreTranslatedBothWays() throws Exception {
        services.bindAccess(tokenOnly);
        var configurations = new FakeConfigurations();
        services.bindConfigurations(configurations);
        var stub = withToken(blocking(false), "adm1n");
        var listed = stub.listConfigurations(ListConfigurationsRequest.newBuilder().setPidPrefix("io.opsd.c").build());
        assertEquals("io.opsd.collector.cpu", listed.getConfigurations(0).getPid());
        assertEquals("***", listed.getConfigurations(0).getPropertiesMap().get("token"));
        var changed = stub.updateConfiguration(UpdateConfigurationRequest.newBuilder().setPid("io.opsd.collector.cpu")
            .putSet("interval", "x").addRemove("old").setDryRun(true).build());
        assertFalse(changed.getApplied());
        assertEquals(List.of("interval: \"x\" is not a duration"), changed.getProblemsList());
        assertEquals(new ConfigurationUpdate("io.opsd.collector.cpu", Map.of("interval", "x"), List.of("old"), true),
            configurations.last);
        assertTrue(stub.deleteConfiguration(DeleteConfigurationRequest.newBuilder().setPid("p").build()).getDeleted());
    }

    private static InstallBundleChunk header(long size) {
        return InstallBundleChunk.newBuilder().setHeader(InstallBundleHeader.newBuilder()
            .setFileName("io.acme.gpio-1.1.0.jar").setSize(size).setSha256("00")
            .setSignature(ByteString.copyFrom(new byte[64]))).build();
    }

    private static InstallBundleChunk data(String text) {
        return InstallBundleChunk.newBuilder().setData(ByteString.copyFromUtf8(text)).build();
    }

    private record Outcome(Status status, InstallBundleResponse response) {
    }

    private static Outcome install(NodeAdminGrpc.NodeAdminStub stub, List<InstallBundleChunk> chunks)
        throws Exception {
        CompletableFuture<InstallBundleResponse> answer = new CompletableFuture<>();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        StreamObserver<InstallBundleChunk> request = stub.installBundle(observer(answer, closed));
        chunks.forEach(request::onNext);
        request.onCompleted();
        Status status = closed.get(10, TimeUnit.SECONDS);
        return new Outcome(status, status.isOk() ? answer.get() : null);
    }

    private static StreamObserver<InstallBundleResponse> observer(CompletableFuture<InstallBundleResponse> answer,
                                                                  CompletableFuture<Status> closed) {
        return new StreamObserver<>() {
            @Override
            public void onNext(InstallBundleResponse value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        };
    }

    private static BundleView gpio(String version) {
        return new BundleView(42, "io.acme.gpio", version, "ACTIVE", "admin", "ab",
            List.of(new ComponentView("io.acme.gpio.Reader", "ACTIVE", "")));
    }

    private static final class FakeBundles implements BundleAdministration {
        static final long LIMIT = 1000;
        final List<FakeUpload> uploads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<FakeUpload> begun = new CompletableFuture<>();
        volatile Caller uninstalledBy;

        @Override
        public List<BundleView> bundles() {
            return List.of(gpio("1.0.0"));
        }

        @Override
        public BundleUpload beginInstall(Caller caller, InstallHeader header) throws AdminException {
            if (header.size() > LIMIT) {
                throw new AdminException(AdminException.Code.RESOURCE_EXHAUSTED, "over max_bundle_size");
            }
            FakeUpload upload = new FakeUpload(header);
            uploads.add(upload);
            begun.complete(upload);
            return upload;
        }

        @Override
        public BundleView uninstall(Caller caller, String symbolicName) throws AdminException {
            uninstalledBy = caller;
            throw new AdminException(AdminException.Code.FAILED_PRECONDITION, symbolicName + " is a core bundle");
        }
    }

    private static final class FakeUpload implements BundleUpload {
        final InstallHeader header;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<String> aborted = new CompletableFuture<>();
        volatile boolean finished;
        volatile String finishedOn;

        FakeUpload(InstallHeader header) {
            this.header = header;
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) {
            bytes.write(data, offset, length);
        }

        @Override
        public InstallResult finish() {
            finished = true;
            finishedOn = Thread.currentThread().getName();
            return new InstallResult(gpio("1.1.0"), true, "1.0.0");
        }

        @Override
        public void abort(String reason) {
            aborted.complete(reason);
        }
    }

    private static final class FakeConfigurations implements ConfigurationAdministration {
        volatile ConfigurationUpdate last;

        private static ConfigurationView cpu() {
            return new ConfigurationView("io.opsd.collector.cpu", Map.of("interval", "10s", "token", "***"), "file",
                List.of());
        }

        @Override
        public List<ConfigurationView> configurations(String pidPrefix) {
            return List.of(cpu());
        }

        @Override
        public ConfigurationChange update(Caller caller, ConfigurationUpdate update) {
            last = update;
            return new ConfigurationChange(cpu(), List.of("interval: \"x\" is not a duration"), false);
        }

        @Override
        public boolean delete(Caller caller, String pid) {
            return true;
        }
    }
}
