package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bad input on {@code POST /heartbeat}: random bytes, mutated JSON, huge numbers, deep nesting, invalid UTF-8,
 * wrong types. Every answer is a 4xx (or 200) with the contract's JSON, never a 5xx; the receiver serves on and
 * its memory stays bounded. Bounded in count and time; the seed is in every failure message. Bad HTTP framing over raw
 * sockets, on /heartbeat and the other paths: a 4xx (or 200 where the request is valid), never a 5xx but 503.
 */
class HeartbeatFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUESTS = 1500;
    private static final Duration MAX_TIME = Duration.ofSeconds(40);
    private static final String VALID = "{\"agent_id\":\"fz\",\"pid\":4242,\"status\":\"running\",\"cpu\":1.5,"
        + "\"memory\":1048576,\"timestamp\":\"2026-11-23T10:00:00Z\"}";

    @Test
    void badBodiesGetClearClientErrorsAndTheReceiverServesOn() throws Exception {
        long seed = Long.getLong("opsd.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        try (NodeProcess node = NodeProcess.newHome("fuzz")) {
            HttpClient client = startWithAgentFz(node);
            long rssBefore = rssKiB(node.process().pid());

            Map<Integer, Integer> statuses = new TreeMap<>();
            long deadline = System.nanoTime() + MAX_TIME.toNanos();
            int sent = 0;
            while (sent < MAX_REQUESTS && System.nanoTime() < deadline) {
                byte[] body = body(random, sent);
                HttpResponse<String> r;
                try {
                    r = send(client, node, body);
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + seed + ", request " + (sent + 1) + ": " + e.getMessage(), e);
                }
                sent++;
                statuses.merge(r.statusCode(), 1, Integer::sum);
                String what = "seed " + seed + ", request " + sent + " body " + preview(body) + " answered "
                    + r.statusCode() + " " + r.body();
                assertTrue(r.statusCode() < 500, what);
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), what);
                JsonNode answer = JSON.readTree(r.body());
                assertEquals(r.statusCode() == 200, answer.get("success").asBoolean(), what);
                assertTrue(!answer.get("message").asText().isEmpty(), what);
            }
            assertTrue(sent >= 300, "at least 300 bad bodies in " + MAX_TIME + ", sent " + sent);
            assertTrue(statuses.getOrDefault(400, 0) > sent / 2, "mostly 400s: " + statuses + " (seed " + seed + ")");

            assertEquals(200, send(client, node, VALID.getBytes(StandardCharsets.UTF_8)).statusCode(),
                "the receiver serves on");
            assertEquals(200, node.status("/ready"));
            long grown = rssKiB(node.process().pid()) - rssBefore;
            assertTrue(grown < 150 * 1024, "RSS grew by " + grown / 1024 + " MiB over " + sent + " requests");
        }
    }

    /** Starts the node with the agent "fz" and waits until a heartbeat for it is accepted. */
    private static HttpClient startWithAgentFz(NodeProcess node) throws IOException {
        Files.writeString(node.configFile("io.opsd.agent-fz.cfg"), "binary_path = /bin/sh\n"
            + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
        node.start();
        node.awaitReady();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        NodeProcess.await(Duration.ofSeconds(30), () -> send(client, node, VALID.getBytes(StandardCharsets.UTF_8))
            .statusCode() == 200, () -> "fz never registered");
        return client;
    }

    private static HttpResponse<String> send(HttpClient client, NodeProcess node, byte[] body) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("the receiver dropped a request with body " + preview(body) + " (" + body.length
                + " bytes): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One bad body; the kind rotates so every kind is tried many times. */
    private static byte[] body(Random random, int n) {
        return switch (n % 8) {
            case 0 -> randomBytes(random, random.nextInt(512));
            case 1, 2 -> mutate(random, VALID.getBytes(StandardCharsets.UTF_8));
            case 3 -> ascii("{\"agent_id\":\"fz\",\"pid\":" + hugeNumber(random) + ",\"cpu\":" + hugeNumber(random)
                + ",\"memory\":" + hugeNumber(random) + "}");
            case 4 -> nested(random);
            case 5 -> invalidUtf8(random);
            case 6 -> ascii(wrongTypes(random));
            default -> ascii("{\"agent_id\":\"" + "a".repeat(1 + random.nextInt(60_000)) + "\",\"pid\":1}");
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random random, byte[] valid) {
        StringBuilder s = new StringBuilder(new String(valid, StandardCharsets.UTF_8));
        String alphabet = "{}[]\":,.-+eE0123456789abcdefnulltrue \\\t\n\u0000\u00e9";
        for (int i = 0, n = 1 + random.nextInt(5); i < n && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> s.replace(at, Math.min(s.length(), at + 1 + random.nextInt(8)), "");
            }
        }
        return ascii(s.toString());
    }

    private static String hugeNumber(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "1e400";
            case 1 -> "-1e400";
            case 2 -> "9".repeat(1 + random.nextInt(2000));
            case 3 -> "1." + "5".repeat(1 + random.nextInt(2000));
            case 4 -> "-0";
            default -> Long.toString(random.nextLong());
        };
    }

    private static byte[] nested(Random random) {
        int depth = 100 + random.nextInt(20_000);
        boolean arrays = random.nextBoolean();
        StringBuilder s = new StringBuilder("{\"agent_id\":\"fz\",\"pid\":1,\"status\":");
        for (int i = 0; i < depth; i++) {
            s.append(arrays ? "[" : "{\"x\":");
        }
        s.append("1");
        for (int i = 0; i < depth; i++) {
            s.append(arrays ? "]" : "}");
        }
        return ascii(s.append('}').toString());
    }

    private static byte[] invalidUtf8(Random random) {
        byte[] head = ascii("{\"agent_id\":\"f");
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0,
            (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        byte[] mid = bad[random.nextInt(bad.length)];
        byte[] tail = ascii("z\",\"pid\":1}");
        byte[] out = new byte[head.length + mid.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(mid, 0, out, head.length, mid.length);
        System.arraycopy(tail, 0, out, head.length + mid.length, tail.length);
        return out;
    }

    private static String wrongTypes(Random random) {
        String[] cases = {"[]", "null", "\"just a string\"", "42", "{\"agent_id\":42,\"pid\":1}",
            "{\"agent_id\":\"fz\",\"pid\":\"1\"}", "{\"agent_id\":\"fz\",\"pid\":1.5}", "{\"agent_id\":[\"fz\"],\"pid\":1}",
            "{\"agent_id\":\"fz\",\"pid\":{\"a\":1}}", "{\"agent_id\":\"fz\",\"pid\":1,\"cpu\":\"high\"}",
            "{\"agent_id\":\"fz\",\"pid\":1,\"memory\":-5}", "{\"agent_id\":\"fz\",\"pid\":1,\"timestamp\":123}",
            "{\"agent_id\":\"fz\",\"pid\":1}{\"agent_id\":\"fz\",\"pid\":2}", "{\"agent_id\":\"fz\",\"pid\":1,}",
            "{\"agent_id\":\"../../etc/passwd\",\"pid\":1}", "{\"agent_id\":\"fz\",\"agent_id\":\"x\",\"pid\":1}"};
        return cases[random.nextInt(cases.length)];
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 80), StandardCharsets.ISO_8859_1);
        return "[" + body.length + " bytes] " + s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /** One raw request of the framing family, with what its answer must be. */
    private record Framing(String name, byte[] request, boolean halfClose, int expected, boolean json) {
    }

    private static Framing framing(String name, String request, int expected, boolean json) {
        return new Framing(name, request.getBytes(StandardCharsets.ISO_8859_1), false, expected, json);
    }

    /**
     * Bad framing: each request on its own connection, answered with a bounded read. Expected statuses: 400 for a
     * body that cannot be read or a malformed request, 414/431 for the limits; 200 for a GET whose body the
     * servlet never reads (the request is valid; the body is dropped and the connection closed after the answer);
     * 404 for an unknown path; 400, not Jetty's 505, for an unknown HTTP version or a request line without one.
     * Never a 5xx (503 aside). Every error answer, Jetty's own included, is the contract's JSON.
     */
    @Test
    void badHttpFramingGetsClientErrorsAndTheNodeServesOn() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("framing")) {
            HttpClient client = startWithAgentFz(node);

            String post = "POST /heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
            String half = VALID.substring(0, 40);
            List<Framing> cases = new ArrayList<>();
            cases.add(new Framing("Content-Length larger than the body, then a half-close",
                (post + "Content-Length: " + (VALID.length() + 100) + "\r\n\r\n" + half)
                    .getBytes(StandardCharsets.ISO_8859_1), true, 400, true));
            cases.add(framing("chunked body with an invalid chunk size", post
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + VALID + "\r\n0\r\n\r\n", 400, true));
            cases.add(framing("chunked body with a huge chunk size", post
                + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n" + VALID + "\r\n0\r\n\r\n", 400, true));
            cases.add(framing("header line without a colon", post + "NoColonHere\r\nContent-Length: 2\r\n\r\n{}",
                400, true));
            cases.add(framing("space before a header's colon", post + "X-Bad : 1\r\nContent-Length: 2\r\n\r\n{}",
                400, true));
            cases.add(framing("control character in a header", post + "X-Bad: a\u0001b\r\nContent-Length: 2\r\n\r\n{}",
                400, true));
            cases.add(framing("64 KiB request URI", "GET /heartbeat/stats?" + "a".repeat(64 * 1024)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414, true));
            cases.add(framing("GET /heartbeat/stats with a body", "GET /heartbeat/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello", 200, false));
            cases.add(framing("GET /ready with a body", "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello", 200, false));
            cases.add(framing("GET /metrics with a body", "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello", 200, false));
            cases.add(framing("two conflicting Content-Lengths", post
                + "Content-Length: 2\r\nContent-Length: 7\r\n\r\n{}12345", 400, true));
            cases.add(framing("negative Content-Length", post + "Content-Length: -1\r\n\r\n{}", 400, true));
            cases.add(framing("non-numeric Content-Length", post + "Content-Length: abc\r\n\r\n{}", 400, true));
            cases.add(framing("both Transfer-Encoding chunked and Content-Length", post
                + "Transfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, true));
            cases.add(framing("unknown HTTP version", "POST /heartbeat HTTP/9.9\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 2\r\n\r\n{}", 400, true));
            cases.add(framing("request line without a version", "POST /heartbeat\r\n\r\n", 400, true));
            cases.add(new Framing("truncated request line, then a half-close",
                "POST /heartbe".getBytes(StandardCharsets.ISO_8859_1), true, 0, false));
            StringBuilder big = new StringBuilder(post);
            for (int i = 0; i < 40; i++) {
                big.append("X-Filler-").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
            }
            cases.add(framing("headers too large", big + "Content-Length: 2\r\n\r\n{}", 431, true));
            cases.add(framing("bad chunk size on GET /heartbeat/stats", "GET /heartbeat/stats HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 200, false));
            cases.add(framing("bad chunk size on GET /ready", "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 200, false));
            cases.add(framing("huge chunk size on GET /metrics", "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", 200, false));
            cases.add(new Framing("short body on GET /health, then a half-close", ("GET /health HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc").getBytes(StandardCharsets.ISO_8859_1), true, 200,
                false));
            cases.add(framing("bad chunk size on an unknown path", "POST /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 404, true));

            for (Framing c : cases) {
                RawResponse r = exchange(node.httpPort, c.request(), c.halfClose());
                String what = c.name() + " answered " + r;
                if (c.expected() == 0) {
                    // nothing complete to answer: the connection closes, or a client error comes back
                    assertTrue(r.status() == 0 || r.status() / 100 == 4, what);
                    continue;
                }
                assertEquals(c.expected(), r.status(), what);
                if (c.json()) {
                    assertTrue(r.header("content-type").startsWith("application/json"), what);
                    JsonNode answer = JSON.readTree(r.body());
                    assertEquals(false, answer.get("success").asBoolean(true), what);
                    assertTrue(!answer.get("message").asText().isEmpty(), what);
                    assertTrue(!answer.get("timestamp").asText().isEmpty(), what);
                }
            }

            assertEquals(200, send(client, node, VALID.getBytes(StandardCharsets.UTF_8)).statusCode(),
                "the receiver serves on");
            assertEquals(200, node.status("/ready"));
            String log = node.log() + node.output();
            assertTrue(!log.contains("EofException") && !log.contains("BadMessageException"),
                "no stack trace for bad framing in the log:\n" + log);
        }
    }

    /** An HTTP answer read off a raw socket; status 0 when the connection closed without one. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** Sends {@code request} on a new connection and reads one answer, every read bounded by a timeout. */
    private static RawResponse exchange(int port, byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // the server may answer and close before it has read everything (a URI or headers over the limit)
            }
            InputStream in = socket.getInputStream();
            String statusLine;
            try {
                statusLine = line(in);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 10 s", e);
            }
            if (statusLine == null) {
                return new RawResponse(0, Map.of(), "");
            }
            String[] parts = statusLine.split(" ", 3);
            assertTrue(parts.length >= 2 && parts[0].startsWith("HTTP/1."), "status line " + statusLine);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new TreeMap<>();
            for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
                int colon = h.indexOf(':');
                headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
            }
            byte[] body;
            if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                    out.write(in.readNBytes(size));
                    line(in);
                }
                body = out.toByteArray();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readNBytes(1 << 20); // no length: the body ends with the connection
            }
            return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() > 64 * 1024) {
                throw new AssertionError("a line over 64 KiB in the answer");
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
