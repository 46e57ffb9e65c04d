package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

class ProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    /** Generous bound for calls that must give up after {@link #SHORT_TIMEOUT}, so a slow machine does not fail. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final CountDownLatch testOver = new CountDownLatch(1);
    private final AtomicInteger redirectTargetHits = new AtomicInteger();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ExecutorService handlers;
    private HttpServer server;
    private InetAddress loopback;

    @BeforeEach
    void startServer() throws IOException {
        loopback = InetAddress.getByName("127.0.0.1");
        handlers = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        server.setExecutor(handlers);
        server.createContext("/ok", exchange -> answer(exchange, 200, "fine\n"));
        server.createContext("/no-content", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/unavailable", exchange -> answer(exchange, 503, "down\n"));
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", url("/moved-here").toString());
            answer(exchange, 302, "");
        });
        server.createContext("/moved-here", exchange -> {
            redirectTargetHits.incrementAndGet();
            answer(exchange, 200, "");
        });
        server.createContext("/large", exchange -> answer(exchange, 200, "x".repeat(1 << 20)));
        server.createContext("/silent", exchange -> {
            awaitTestOver();
            exchange.close();
        });
        server.createContext("/headers-then-silent", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write("partial".getBytes(StandardCharsets.UTF_8));
            body.flush();
            awaitTestOver();
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        testOver.countDown();
        server.stop(0);
        handlers.shutdownNow();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private void awaitTestOver() {
        try {
            testOver.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A loopback port nothing listens on (a small race with other processes is accepted). */
    private int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
            return socket.getLocalPort();
        }
    }

    // --- HTTP ---

    @Test
    void http200IsHealthy() {
        ProbeResult result = new HttpProbe(url("/ok"), TIMEOUT).probe();
        assertTrue(result.healthy(), result.detail());
        assertEquals("HTTP 200 from " + url("/ok"), result.detail());
    }

    @Test
    void http204IsHealthy() {
        ProbeResult result = new HttpProbe(url("/no-content"), TIMEOUT).probe();
        assertTrue(result.healthy(), result.detail());
        assertEquals("HTTP 204 from " + url("/no-content"), result.detail());
    }

    @Test
    void http503IsUnhealthy() {
        ProbeResult result = new HttpProbe(url("/unavailable"), TIMEOUT).probe();
        assertFalse(result.healthy());
        assertEquals("HTTP 503 from " + url("/unavailable"), result.detail());
    }

    @Test
    void redirectIsUnhealthyAndNotFollowed() {
        ProbeResult result = new HttpProbe(url("/moved"), TIMEOUT).probe();
        assertFalse(result.healthy());
        assertEquals("HTTP 302 from " + url("/moved"), result.detail());
        assertEquals(0, redirectTargetHits.get());
    }

    @Test
    void largeBodyIsReadOnlyInPart() {
        HttpProbe probe = new HttpProbe(url("/large"), TIMEOUT);
        assertTrue(probe.probe().healthy());
        assertTrue(probe.probe().healthy(), "the client stays usable after a body was cut short");
    }

    @Test
    void serverThatNeverAnswersIsUnhealthyWithinTheTimeout() {
        HttpProbe probe = new HttpProbe(url("/silent"), SHORT_TIMEOUT);
        ProbeResult result = assertTimeoutPreemptively(DEADLINE, probe::probe);
        assertFalse(result.healthy());
        assertEquals("no answer from " + url("/silent") + " within 300 ms", result.detail());
    }

    @Test
    void statusDecidesWhenOnlyTheBodyHangs() {
        // the body never ends: a probe that waited for it would time out and call the agent unhealthy. The timeout
        // is the long one, so a loaded machine that is slow to send the headers does not fail the test
        HttpProbe probe = new HttpProbe(url("/headers-then-silent"), TIMEOUT);
        ProbeResult result = assertTimeoutPreemptively(DEADLINE, probe::probe);
        assertTrue(result.healthy(), result.detail());
        assertEquals("HTTP 200 from " + url("/headers-then-silent"), result.detail());
    }

    @Test
    void refusedConnectionIsUnhealthy() throws IOException {
        int port = closedPort();
        HttpProbe probe = new HttpProbe(URI.create("http://127.0.0.1:" + port + "/health"), TIMEOUT);
        ProbeResult result = assertTimeoutPreemptively(DEADLINE, probe::probe);
        assertFalse(result.healthy());
        // Java 17's HttpClient loses the reason of a failed connect; later versions may keep it
        assertTrue(result.detail().equals("connection refused by 127.0.0.1:" + port)
            || result.detail().equals("connection to 127.0.0.1:" + port + " refused or unreachable"),
            result.detail());
    }

    @Test
    void badUrisAreRejected() {
        for (String uri : List.of("ftp://127.0.0.1/health", "/health", "127.0.0.1", "http:///health",
            "http://bad_host:80/", "mailto:ops@example.com", "http://user:secret@127.0.0.1/health")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HttpProbe(URI.create(uri), TIMEOUT), uri);
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }

    @Test
    void nonPositiveHttpTimeoutsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new HttpProbe(url("/ok"), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new HttpProbe(url("/ok"), Duration.ofMillis(-1)));
    }

    // --- TCP ---

    @Test
    void openPortIsHealthy() throws IOException {
        ServerSocket listening = new ServerSocket(0, 50, loopback);
        toClose.add(listening);
        String address = "127.0.0.1:" + listening.getLocalPort();
        ProbeResult result = new TcpProbe(address, TIMEOUT).probe();
        assertTrue(result.healthy(), result.detail());
        assertEquals("connection opened to " + address, result.detail());
    }

    @Test
    void ipv6LoopbackInBracketsIsHealthy() throws IOException {
        ServerSocket listening;
        try {
            listening = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
            return;
        }
        toClose.add(listening);
        String address = "[::1]:" + listening.getLocalPort();
        ProbeResult result = new TcpProbe(address, TIMEOUT).probe();
        assertTrue(result.healthy(), result.detail());
        assertEquals("connection opened to " + address, result.detail());
    }

    @Test
    void closedPortIsUnhealthy() throws IOException {
        int port = closedPort();
        ProbeResult result = assertTimeoutPreemptively(DEADLINE, new TcpProbe("127.0.0.1:" + port, TIMEOUT)::probe);
        assertFalse(result.healthy());
        assertEquals("connection refused by 127.0.0.1:" + port, result.detail());
    }

    @Test
    void portThatNeverCompletesTheHandshakeIsUnhealthyWithinTheTimeout() throws IOException {
        // a listener that accepts nothing, with a full backlog, drops new handshakes: the only loopback timeout
        ServerSocket full = new ServerSocket(0, 1, loopback);
        toClose.add(full);
        InetSocketAddress target = new InetSocketAddress(loopback, full.getLocalPort());
        boolean backlogFull = false;
        for (int attempt = 0; attempt < 64 && !backlogFull; attempt++) {
            Socket filler = new Socket();
            toClose.add(filler);
            try {
                filler.connect(target, 200);
            } catch (SocketTimeoutException e) {
                backlogFull = true;
            }
        }
        assumeTrue(backlogFull, "this kernel does not drop handshakes to a full backlog");
        TcpProbe probe = new TcpProbe("127.0.0.1:" + full.getLocalPort(), SHORT_TIMEOUT);
        ProbeResult result = assertTimeoutPreemptively(DEADLINE, probe::probe);
        assertFalse(result.healthy());
        assertEquals("no answer from 127.0.0.1:" + full.getLocalPort() + " within 300 ms", result.detail());
    }

    @Test
    void addressesAreNormalised() {
        assertEquals("[::1]:9100", new TcpProbe("[::1]:9100", TIMEOUT).address());
        assertEquals("localhost:9100", new TcpProbe("localhost:9100", TIMEOUT).address());
        assertEquals("127.0.0.1:1", new TcpProbe("127.0.0.1:1", TIMEOUT).address());
        assertEquals("127.0.0.1:65535", new TcpProbe("127.0.0.1:65535", TIMEOUT).address());
    }

    @Test
    void badAddressesAreRejected() {
        for (String address : List.of("", "127.0.0.1", "127.0.0.1:", ":9100", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:http", "127.0.0.1:+80", "127.0.0.1:-1", "::1:9100", "[::1]9100", "[::1:9100", "[zz]:9100",
            "[127.0.0.1]:9100", "[]:9100", "bad host:9100", "http://127.0.0.1:9100", " 127.0.0.1:9100")) {
            assertThrows(IllegalArgumentException.class, () -> new TcpProbe(address, TIMEOUT), address);
        }
    }

    @Test
    void nonPositiveTcpTimeoutsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TcpProbe("127.0.0.1:9100", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new TcpProbe("127.0.0.1:9100", Duration.ofSeconds(-1)));
    }
}
