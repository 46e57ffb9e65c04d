package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ListAgentsResponse;
import io.opsd.testing.Http;

/**
 * The security of the gRPC DaemonService (PID io.opsd.grpc.server) against the real opsd.jar, with a real grpc-java
 * client: TLS, mutual TLS, certificate rotation without a restart, the bearer token, fail-closed configurations, the
 * non-loopback guard, and a port change that touches nothing but the gRPC server. One node serves the whole class;
 * each test writes the complete configuration it needs to the node's io.opsd.grpc.server.cfg. The certificates are
 * made at run time with openssl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcSecurityIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final long CALL_SECONDS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "sec";
    private static final String LISTENING = "gRPC DaemonService listening on";
    private static final String REFUSED = "gRPC server not started:";
    private static final String RELOADED = "TLS material re-read from";
    private static final Metadata.Key<String> AUTHORIZATION =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private NodeProcess node;
    private Path pki;
    /** The keys of io.opsd.grpc.server.cfg as last written (FileInstall ignores a write that changes none). */
    private Map<String, String> applied;

    @BeforeAll
    void start() throws Exception {
        node = NodeProcess.newHome("grpc-security");
        pki = Files.createDirectories(node.home.resolve("pki"));
        makeCertificates();
        Files.writeString(node.configFile("io.opsd.agent-" + AGENT + ".cfg"), "binary_path = /bin/sh\n"
            + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
        applied = Map.of("port", Integer.toString(node.grpcPort));
        node.start();
        node.awaitReady();
        NodeProcess.await(LIMIT, () -> count(log(), LISTENING) == 1, () -> "no gRPC server:\n" + log());
        NodeProcess.await(LIMIT, () -> "running".equals(agentField("status"))
            && Long.parseLong(agentField("pid")) > 0, () -> "agent " + AGENT + ": " + agentState());
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    // 1

    @Test
    void withTlsAPlaintextClientIsRefusedAndAClientTrustingTheCaListsAgents() throws Exception {
        String started = reconfigure(node.grpcPort, tls("server"));
        assertTrue(started.contains(LISTENING + " 127.0.0.1:" + node.grpcPort + " (TLS, no token)"), started);

        Status.Code plaintext = listAgentsCode(plaintext(node.grpcPort), null);
        assertNotEquals(Status.Code.OK, plaintext, "a plaintext call to the TLS port must fail");
        assertEquals(Status.Code.UNAVAILABLE, plaintext);

        Status.Code untrusted = listAgentsCode(tlsChannel(node.grpcPort, client("rogue-ca.pem", null)), null);
        assertEquals(Status.Code.UNAVAILABLE, untrusted, "a client that does not trust the server's CA must fail");

        ManagedChannel channel = tlsChannel(node.grpcPort, client("ca.pem", null));
        try {
            ListAgentsResponse agents = stub(channel).listAgents(ListAgentsRequest.getDefaultInstance());
            assertTrue(agents.getAgentsList().stream().anyMatch(a -> a.getId().equals(AGENT)), agents.toString());
        } finally {
            close(channel);
        }
    }

    // 2

    @Test
    void withAClientCaOnlyAClientCertificateThatCaSignedIsServed() throws Exception {
        List<String> mtls = new ArrayList<>(tls("server"));
        mtls.add("tls.client_ca_file = " + pki.resolve("clients-ca.pem"));
        String started = reconfigure(node.grpcPort, mtls);
        assertTrue(started.contains(LISTENING + " 127.0.0.1:" + node.grpcPort + " (mutual TLS, no token)"), started);

        Status.Code anonymous = listAgentsCode(tlsChannel(node.grpcPort, client("ca.pem", null)), null);
        assertNotEquals(Status.Code.OK, anonymous, "a TLS client without a certificate must be refused");

        Status.Code rogue = listAgentsCode(tlsChannel(node.grpcPort, client("ca.pem", "rogue-client")), null);
        assertNotEquals(Status.Code.OK, rogue, "a client certificate another CA signed must be refused");

        assertEquals(Status.Code.OK, listAgentsCode(tlsChannel(node.grpcPort, client("ca.pem", "client")), null),
            "a client certificate signed by tls.client_ca_file is served");
    }

    // 3

    @Test
    void aRotatedCertificateIsServedToNewConnectionsWithoutRestartingAndOpenConnectionsGoOn() throws Exception {
        Path cert = pki.resolve("live.pem");
        Path key = pki.resolve("live.key");
        Files.copy(pki.resolve("server.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.resolve("server.key"), key, StandardCopyOption.REPLACE_EXISTING);
        reconfigure(node.grpcPort, List.of("tls.cert_file = " + cert, "tls.key_file = " + key));
        X509Certificate before = certificate(pki.resolve("server.pem"));
        X509Certificate after = certificate(pki.resolve("rotated.pem"));
        assertNotEquals(before.getSerialNumber(), after.getSerialNumber());

        RecordingTrust oldTrust = recordingTrust("ca.pem");
        ManagedChannel old = tlsChannel(node.grpcPort, GrpcSslContexts.forClient().trustManager(oldTrust).build());
        try {
            stub(old).listAgents(ListAgentsRequest.getDefaultInstance());
            assertEquals(List.of(before.getSerialNumber()), oldTrust.serials(), "the first certificate is served");
            int listening = count(log(), LISTENING);
            int reloads = count(log(), RELOADED);
            String pidFile = Files.readString(node.dataFile("opsd.pid"));

            // in place, as an operator's renewal job would: the key first, then the certificate
            NodeProcess.writeAtomically(key, Files.readString(pki.resolve("rotated.key")));
            NodeProcess.writeAtomically(cert, Files.readString(pki.resolve("rotated.pem")));

            RecordingTrust newTrust = recordingTrust("ca.pem");
            ManagedChannel fresh = tlsChannel(node.grpcPort,
                GrpcSslContexts.forClient().trustManager(newTrust).build());
            try {
                stub(fresh).listAgents(ListAgentsRequest.getDefaultInstance());
            } finally {
                close(fresh);
            }
            assertEquals(List.of(after.getSerialNumber()), newTrust.serials(),
                "a new connection gets the rotated certificate (" + after.getSubjectX500Principal() + ")");
            assertEquals(after.getSubjectX500Principal(), newTrust.seen.get(0).getSubjectX500Principal());

            stub(old).listAgents(ListAgentsRequest.getDefaultInstance());
            assertEquals(List.of(before.getSerialNumber()), oldTrust.serials(),
                "the connection opened before the rotation serves on, with no new handshake");

            assertTrue(node.process().isAlive(), "opsd still runs");
            assertEquals(pidFile, Files.readString(node.dataFile("opsd.pid")), "opsd was not restarted");
            assertEquals(Long.toString(node.process().pid()), pidFile);
            String log = log();
            assertEquals(listening, count(log, LISTENING), "the gRPC server was not restarted:\n" + log);
            assertEquals(reloads + 1, count(log, RELOADED), "the server re-read its files once:\n" + log);
        } finally {
            close(old);
        }
    }

    // 4

    @Test
    void withATokenCallsWithoutOrWithAWrongBearerAreUnauthenticatedAndHealthChecksNeedNone() throws Exception {
        String token = "e2e-" + Long.toHexString(System.nanoTime()) + "-secret";
        String started = reconfigure(node.grpcPort, List.of("token = " + token));
        assertTrue(started.contains(LISTENING + " 127.0.0.1:" + node.grpcPort + " (plaintext, bearer token)"),
            started);

        assertEquals(Status.Code.UNAUTHENTICATED, listAgentsCode(plaintext(node.grpcPort), null), "no metadata");
        assertEquals(Status.Code.UNAUTHENTICATED, listAgentsCode(plaintext(node.grpcPort), "Bearer x"),
            "a wrong token");
        assertEquals(Status.Code.UNAUTHENTICATED, listAgentsCode(plaintext(node.grpcPort), token),
            "the token without the Bearer scheme");
        assertEquals(Status.Code.OK, listAgentsCode(plaintext(node.grpcPort), "Bearer " + token), "the right token");

        ManagedChannel channel = plaintext(node.grpcPort);
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
            assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(DaemonServiceGrpc.SERVICE_NAME).build()).getStatus());
        } finally {
            close(channel);
        }
        assertFalse(log().contains(token), "the token is never logged");
    }

    // 5

    @Test
    void aMissingCertificateOrAKeyOfAnotherCertificateLeavesNothingListeningUntilTheConfigurationIsFixed()
        throws Exception {
        Path missing = pki.resolve("no-such-cert.pem");
        int mark = log().length();
        String refused = reconfigure(node.grpcPort, List.of("tls.cert_file = " + missing,
            "tls.key_file = " + pki.resolve("server.key")));
        assertTrue(refused.contains(REFUSED), refused);
        assertTrue(refused.contains("tls.cert_file = \"" + missing + "\""), "the log names the key:\n" + refused);
        // SCR's report of the refused activation repeats the reason on one line, with no stack trace beside it
        String named = "tls.cert_file = \"" + missing + "\"";
        NodeProcess.await(LIMIT, () -> log().substring(mark).lines().filter(l -> l.contains(named)).count() >= 2,
            () -> "SCR did not report the refusal:\n" + log().substring(mark));
        assertTrue(log().substring(mark).lines().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")),
            "no stack trace beside the refusal:\n" + log().substring(mark));
        assertNothingListens(node.grpcPort);
        Http.Response ready = node.get("/ready");
        assertEquals(503, ready.status(), ready.body());
        assertTrue(ready.body().contains("io.opsd.grpc.server"), "/ready lists the refused component: " + ready.body());

        refused = reconfigure(node.grpcPort, List.of("tls.cert_file = " + pki.resolve("server.pem"),
            "tls.key_file = " + pki.resolve("other.key")));
        assertTrue(refused.contains(REFUSED), refused);
        assertTrue(refused.contains("does not hold the private key"), refused);
        assertTrue(refused.contains("tls.key_file"), "the log names the key:\n" + refused);
        assertNothingListens(node.grpcPort);

        String started = reconfigure(node.grpcPort, tls("server"));
        assertTrue(started.contains(LISTENING + " 127.0.0.1:" + node.grpcPort + " (TLS, no token)"), started);
        assertEquals(Status.Code.OK, listAgentsCode(tlsChannel(node.grpcPort, client("ca.pem", null)), null));
        NodeProcess.await(LIMIT, () -> node.status("/ready") == 200, () -> "/ready stays unready");
    }

    // 6

    @Test
    void aNonLoopbackBindWithoutTlsOrTokenIsRefusedUnlessAllowInsecureWhichWarns() throws Exception {
        try {
            String refused = reconfigure(node.grpcPort, List.of("bind = 0.0.0.0"));
            assertTrue(refused.contains(REFUSED), refused);
            assertTrue(refused.contains("allow_insecure"), refused);
            assertNothingListens(node.grpcPort);

            String started = reconfigure(node.grpcPort, List.of("bind = 0.0.0.0", "allow_insecure = true"));
            assertTrue(started.contains(LISTENING + " 0.0.0.0:" + node.grpcPort + " (plaintext, no token)"), started);
            Pattern warning = Pattern.compile("(?m)^\\S+ WARN .*" + Pattern.quote("gRPC DaemonService on 0.0.0.0:"
                + node.grpcPort + " (plaintext, no token) has neither TLS nor a token (allow_insecure = true)"));
            NodeProcess.await(LIMIT, () -> warning.matcher(log()).find(), () -> "no warning:\n" + log());
            assertEquals(Status.Code.OK, listAgentsCode(plaintext(node.grpcPort), null));
        } finally {
            reconfigure(node.grpcPort, List.of()); // do not leave a plaintext server on every interface
        }
    }

    // 7

    @Test
    void aPortChangeMovesTheServerAndTouchesNeitherHttpNorTheAgents() throws Exception {
        reconfigure(node.grpcPort, List.of());
        ManagedChannel first = plaintext(node.grpcPort);
        long pid;
        try {
            pid = agentPid(stub(first).listAgents(ListAgentsRequest.getDefaultInstance()));
        } finally {
            close(first);
        }
        assertTrue(pid > 0);
        assertEquals(Long.toString(pid), agentField("pid"));
        assertEquals(200, node.status("/ready"));
        assertEquals(200, node.status("/health"));

        int port = NodeProcess.freePort();
        int mark = log().length();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread probe = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                seen.add("/ready " + node.status("/ready") + ", /health " + node.status("/health"));
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // probe interval
            }
        }, "http-probe");
        probe.start();
        try {
            String started = reconfigure(port, List.of());
            assertTrue(started.contains(LISTENING + " 127.0.0.1:" + port), started);

            assertFalse(listens(node.grpcPort), "the old port is closed");
            ManagedChannel moved = plaintext(port);
            try {
                assertEquals(pid, agentPid(stub(moved).listAgents(ListAgentsRequest.getDefaultInstance())),
                    "the agent was not restarted");
            } finally {
                close(moved);
            }
        } finally {
            probe.interrupt();
            probe.join(10_000);
            reconfigure(node.grpcPort, List.of());
        }
        assertEquals(Long.toString(pid), agentField("pid"));
        assertTrue(Files.isDirectory(Path.of("/proc/" + pid)), "agent process " + pid + " is alive");
        assertFalse(seen.isEmpty());
        assertTrue(seen.stream().allMatch("/ready 200, /health 200"::equals),
            "HTTP answered otherwise while the gRPC port moved: " + seen.stream().distinct().toList());
        String before = log().substring(0, mark);
        String changed = log().substring(mark);
        // what the other components log when they are activated: seen at the start, not since the change
        for (String other : List.of("agent " + AGENT + " started", "Started Jetty", "runs every", "advertises")) {
            assertTrue(before.contains(other), "the start logged no \"" + other + "\":\n" + before);
            assertFalse(changed.contains(other), "another component was re-activated (" + other + "):\n" + changed);
        }
        assertFalse(changed.contains("agent " + AGENT + " exited"), changed);
    }

    // configuration

    /** Writes io.opsd.grpc.server.cfg with {@code port} and {@code lines}, and returns the log of the outcome. */
    private String reconfigure(int port, List<String> lines) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("port", Integer.toString(port));
        for (String line : lines) {
            int eq = line.indexOf('=');
            keys.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        if (keys.equals(applied)) {
            return "(unchanged)";
        }
        int mark = log().length();
        StringBuilder text = new StringBuilder("# written by GrpcSecurityIT\n");
        keys.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        NodeProcess.writeAtomically(node.configFile("io.opsd.grpc.server.cfg"), text.toString());
        applied = keys;
        NodeProcess.await(LIMIT, () -> {
            String since = log().substring(mark);
            return since.contains(LISTENING) || since.contains(REFUSED);
        }, () -> "the gRPC server did not take " + keys + ":\n" + log().substring(mark));
        return log().substring(mark);
    }

    private List<String> tls(String name) {
        return List.of("tls.cert_file = " + pki.resolve(name + ".pem"), "tls.key_file = " + pki.resolve(name + ".key"));
    }

    // client

    private static DaemonServiceGrpc.DaemonServiceBlockingStub stub(ManagedChannel channel) {
        return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private static ManagedChannel plaintext(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static ManagedChannel tlsChannel(int port, SslContext ssl) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl).build();
    }

    /** A client context trusting {@code ca}, presenting {@code certificate}.pem/.key when that is not null. */
    private SslContext client(String ca, String certificate) throws IOException {
        var ssl = GrpcSslContexts.forClient().trustManager(pki.resolve(ca).toFile());
        if (certificate != null) {
            ssl.keyManager(pki.resolve(certificate + ".pem").toFile(), pki.resolve(certificate + ".key").toFile());
        }
        return ssl.build();
    }

    /** One ListAgents call on {@code channel} (then shut down) with an optional authorization value. */
    private static Status.Code listAgentsCode(ManagedChannel channel, String authorization)
        throws InterruptedException {
        try {
            var stub = stub(channel);
            if (authorization != null) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, authorization);
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            stub.listAgents(ListAgentsRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            close(channel);
        }
    }

    private static long agentPid(ListAgentsResponse agents) {
        return agents.getAgentsList().stream().filter(a -> a.getId().equals(AGENT)).mapToLong(AgentInfo::getPid)
            .findFirst().orElseThrow(() -> new AssertionError("no agent " + AGENT + " in " + agents));
    }

    private static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void assertNothingListens(int port) throws InterruptedException {
        assertFalse(listens(port), "something listens on " + port);
        assertEquals(Status.Code.UNAVAILABLE, listAgentsCode(plaintext(port), null), "plaintext");
        try {
            assertEquals(Status.Code.UNAVAILABLE, listAgentsCode(tlsChannel(port, client("ca.pem", null)), null),
                "TLS");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Trusts what {@code ca} signed and records the server certificates it was asked to check. */
    private RecordingTrust recordingTrust(String ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", certificate(pki.resolve(ca)));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return new RecordingTrust((X509ExtendedTrustManager) factory.getTrustManagers()[0]);
    }

    private static final class RecordingTrust extends X509ExtendedTrustManager {

        final List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        private final X509ExtendedTrustManager delegate;

        RecordingTrust(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        List<BigInteger> serials() {
            return seen.stream().map(X509Certificate::getSerialNumber).toList();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            seen.add(chain[0]);
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            seen.add(chain[0]);
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            seen.add(chain[0]);
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            throw new CertificateException("a client checks no client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            throw new CertificateException("a client checks no client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client checks no client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    // node

    private String log() {
        try {
            return node.log();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private String agentField(String name) {
        JsonNode n = agentState().get(name);
        return n == null ? "" : n.asText();
    }

    private JsonNode agentState() {
        try {
            return JSON.readTree(Files.readString(node.dataFile("agents/" + AGENT + ".json")));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    // certificates

    /**
     * ca (servers), clients-ca (client certificates), rogue-ca (trusted by no one here); server and rotated (two
     * certificates for 127.0.0.1 and localhost that ca signed, with different serials and subjects), client
     * (clients-ca), rogue-client (rogue-ca), and other.key (a key of no certificate). Keys are PEM PKCS#8.
     */
    private void makeCertificates() throws Exception {
        TestPki tool = new TestPki(pki);
        tool.authority("ca", "opsd e2e server CA");
        tool.authority("clients-ca", "opsd e2e client CA");
        tool.authority("rogue-ca", "opsd e2e rogue CA");
        tool.leaf("server", "/CN=localhost/O=opsd e2e", "ca", 1001, TestPki.SERVER);
        tool.leaf("rotated", "/CN=localhost/O=opsd e2e rotated", "ca", 1002, TestPki.SERVER);
        tool.leaf("client", "/CN=opsd e2e manager", "clients-ca", 2001, TestPki.CLIENT);
        tool.leaf("rogue-client", "/CN=opsd e2e manager", "rogue-ca", 3001, TestPki.CLIENT);
        tool.key("other");
        for (String name : List.of("server", "rotated", "client", "rogue-client", "other")) {
            String pem = Files.readString(pki.resolve(name + ".key"));
            assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), name + ".key is not PKCS#8: " + pem);
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
