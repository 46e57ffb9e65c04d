package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bad input on {@code POST /heartbeat}: random bytes, mutated JSON, huge numbers, deep nesting, invalid UTF-8,
 * wrong types. Every answer is a 4xx (or 200) with the contract's JSON, never a 5xx; the receiver serves on and
 * its memory stays bounded. Bounded in count and time; the seed is in every failure message.
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
            Files.writeString(node.configFile("io.opsd.agent-fz.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
            node.start();
            node.awaitReady();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            NodeProcess.await(Duration.ofSeconds(30), () -> send(client, node, VALID.getBytes(StandardCharsets.UTF_8))
                .statusCode() == 200, () -> "fz never registered");
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
}
