package io.opsd.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.opsd.grpc.manager.ManagerServiceGrpc;

/** TLS and mutual TLS with a self-signed certificate for 127.0.0.1 made by openssl at run time. */
class TlsTest {

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.out").toFile()).start();
        } catch (IOException noOpenssl) {
            assumeTrue(false, "openssl is not installed: " + noOpenssl.getMessage());
            return;
        }
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS), "openssl did not finish in 30 s");
        assertEquals(0, openssl.exitValue(), Files.readString(dir.resolve("openssl.out")));
    }

    @Test
    void aTlsSimulatorAnswersAClientThatTrustsItsCertificate() throws Exception {
        try (ManagerSimulator sim = new ManagerSimulator(SimulatorOptions.defaults().withPort(0).withTls(cert, key, null),
            java.time.Clock.systemUTC()).start()) {
            assertTrue(call(sim, TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build()));
        }
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateGetIn() throws Exception {
        try (ManagerSimulator sim = new ManagerSimulator(SimulatorOptions.defaults().withPort(0).withTls(cert, key, cert),
            java.time.Clock.systemUTC()).start()) {
            assertThrows(StatusRuntimeException.class,
                () -> call(sim, TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build()));
            assertTrue(call(sim, TlsChannelCredentials.newBuilder().trustManager(cert.toFile())
                .keyManager(cert.toFile(), key.toFile()).build()));
        }
    }

    private static boolean call(ManagerSimulator sim, ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + sim.grpcPort(), credentials).build();
        try {
            return ManagerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .heartbeat(ManagerSimulatorTest.heartbeat("tls-node", 1)).getSuccess();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
