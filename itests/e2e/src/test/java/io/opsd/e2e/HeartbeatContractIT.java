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
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** contracts.md §3, row by row, against a running opsd.jar over loopback HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RFC3339_NANO =
        Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)");
    private static final String AGENT = "hb-agent";

    private NodeProcess node;

    record Answer(int status, String contentType, JsonNode body) {
    }

    @BeforeAll
    void start() throws Exception {
        node = NodeProcess.newHome("heartbeat");
        Files.writeString(node.configFile("io.opsd.agent-" + AGENT + ".cfg"), "binary_path = /bin/sh\n"
            + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
        Files.writeString(node.configFile("io.opsd.agent-hb-timeout.cfg"), "binary_path = /bin/sh\n"
            + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = 3s\nhealth.interval = 1s\n");
        node.start();
        node.awaitReady();
        NodeProcess.await(Duration.ofSeconds(30), () -> status(valid()) == 200, () -> "the agent is not registered yet");
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    private static String valid() {
        return "{\"agent_id\":\"" + AGENT + "\",\"pid\":4242,\"status\":\"running\",\"cpu\":12.5,\"memory\":1048576,"
            + "\"timestamp\":\"2026-11-23T10:00:00.5Z\"}";
    }

    private void expect(Answer a, int status, boolean success, String message) {
        assertEquals(status, a.status(), a.body().toString());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        assertEquals(success, a.body().get("success").asBoolean(), a.body().toString());
        assertEquals(message, a.body().get("message").asText());
        assertTrue(RFC3339_NANO.matcher(a.body().get("timestamp").asText()).matches(), a.body().toString());
    }

    @Test
    void aValidHeartbeatIsQueuedAndReachesTheStore() throws Exception {
        expect(post("/heartbeat", valid()), 200, true, "heartbeat received");
        NodeProcess.await(Duration.ofSeconds(20), () -> {
            try {
                JsonNode s = JSON.readTree(Files.readString(node.dataFile("agents/" + AGENT + ".json")));
                return s.path("reported_cpu").asDouble() == 12.5 && s.path("reported_memory").asLong() == 1048576
                    && "2026-11-23T10:00:00.500Z".equals(s.path("last_heartbeat").asText())
                    && "running".equals(s.path("heartbeat_status").asText());
            } catch (IOException e) {
                return false;
            }
        }, () -> "not in the store");
    }

    @Test
    void httpHeartbeatsKeepAnAgentAliveAndTheirAbsenceRestartsIt() throws Exception {
        NodeProcess.await(Duration.ofSeconds(30), () -> pid("hb-timeout") > 0, () -> "hb-timeout not running");
        long pid = pid("hb-timeout");
        String body = "{\"agent_id\":\"hb-timeout\",\"pid\":" + pid + "}";
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() - until < 0) { // the agent's heartbeats, every 300 ms for longer than the timeout
            assertEquals(200, post("/heartbeat", body).status());
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        }
        assertEquals(pid, pid("hb-timeout"), "heartbeats keep the agent running");
        NodeProcess.await(Duration.ofSeconds(30), () -> pid("hb-timeout") > 0 && pid("hb-timeout") != pid,
            () -> "not restarted after the heartbeats stopped");
    }

    private long pid(String id) {
        try {
            JsonNode s = JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json")));
            return "running".equals(s.path("status").asText()) ? s.path("pid").asLong() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void badJsonAndBadFieldsGetTheOldMessages() throws Exception {
        expect(post("/heartbeat", "{"), 400, false, "invalid JSON format: unexpected EOF");
        expect(post("/heartbeat", "not json"), 400, false,
            "invalid JSON format: invalid character 'n' looking for beginning of value");
        expect(post("/heartbeat", "{\"pid\":1}"), 400, false, "validation failed: agent_id: agent_id is required");
        expect(post("/heartbeat", "{\"agent_id\":\"\",\"pid\":1}"), 400, false,
            "validation failed: agent_id: agent_id is required");
        expect(post("/heartbeat", "{\"agent_id\":\"nobody\",\"pid\":1}"), 400, false,
            "validation failed: agent_id: agent_id not found in registry");
        for (String pid : new String[] {"0", "-5"}) {
            expect(post("/heartbeat", "{\"agent_id\":\"" + AGENT + "\",\"pid\":" + pid + "}"), 400, false,
                "validation failed: pid: pid must be greater than 0");
        }
        expect(post("/heartbeat", "{\"agent_id\":\"" + AGENT + "\"}"), 400, false,
            "validation failed: pid: pid must be greater than 0");
        expect(post("/heartbeat", "{\"agent_id\":\"" + AGENT + "\",\"pid\":\"42\"}"), 400, false,
            "invalid JSON format: json: cannot unmarshal string into Go struct field HeartbeatRequest.pid of type int");
        expect(post("/heartbeat", "{\"agent_id\":\"" + AGENT + "\",\"pid\":4.5}"), 400, false,
            "invalid JSON format: json: cannot unmarshal number 4.5 into Go struct field HeartbeatRequest.pid of type"
                + " int");
        for (String cpu : new String[] {"-1", "101"}) {
            expect(post("/heartbeat", "{\"agent_id\":\"" + AGENT + "\",\"pid\":1,\"cpu\":" + cpu + "}"), 400, false,
                "validation failed: cpu: cpu must be between 0 and 100");
        }
        expect(post("/heartbeat", "{\"agent_id\":\"" + AGENT + "\",\"pid\":1,\"memory\":-1}"), 400, false,
            "invalid JSON format: json: cannot unmarshal number -1 into Go struct field HeartbeatRequest.memory of"
                + " type uint64");
    }

    @Test
    void wrongMethodsOnBothPathsGet405() throws Exception {
        expect(call("GET", "/heartbeat", null, null, false), 405, false, "method not allowed, expected POST");
        expect(call("PUT", "/heartbeat", valid(), null, false), 405, false, "method not allowed, expected POST");
        expect(call("POST", "/heartbeat/stats", "{}", null, false), 405, false, "method not allowed, expected GET");
        expect(call("DELETE", "/heartbeat/stats", null, null, false), 405, false, "method not allowed, expected GET");
    }

    @Test
    void anOversizedBodyGets413WithOrWithoutContentLength() throws Exception {
        String big = "{\"agent_id\":\"" + AGENT + "\",\"pid\":1,\"status\":\"" + "x".repeat(70_000) + "\"}";
        expect(call("POST", "/heartbeat", big, null, false), 413, false, "request body too large");
        expect(call("POST", "/heartbeat", big, null, true), 413, false, "request body too large");
    }

    @Test
    void anOversizedBodyIsReadToItsEndSoItsSenderGetsThe413AndTheConnectionServesOn() throws Exception {
        String big = "{\"agent_id\":\"" + AGENT + "\",\"pid\":1,\"status\":\"" + "x".repeat(400_000) + "\"}";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat");
        for (int round = 0; round < 3; round++) {
            HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
            assertTrue(tooLarge.headers().firstValue("Connection").isEmpty(), "the connection is kept: "
                + tooLarge.headers().map());
            HttpResponse<String> next = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(valid())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, next.statusCode(), next.body());
        }
    }

    @Test
    void statsCountExactly() throws Exception {
        JsonNode before = call("GET", "/heartbeat/stats", null, null, false).body();
        for (int i = 0; i < 25; i++) {
            assertEquals(200, post("/heartbeat", valid()).status());
        }
        post("/heartbeat", "{\"agent_id\":\"nobody\",\"pid\":1}");
        NodeProcess.await(Duration.ofSeconds(20), () -> {
            JsonNode s = stats();
            return s.get("total_processed").asLong() == before.get("total_processed").asLong() + 25;
        }, () -> "stats " + stats());
        JsonNode after = stats();
        assertEquals(before.get("total_received").asLong() + 25, after.get("total_received").asLong(),
            "invalid heartbeats are not received");
        assertEquals(0, after.get("total_errors").asLong());
        assertTrue(RFC3339_NANO.matcher(after.get("last_received_time").asText()).matches(), after.toString());
        assertTrue(after.get("average_latency").asLong() > 0, "nanoseconds per store write: " + after);
    }

    @Test
    void aConfiguredTokenIsRequired() throws Exception {
        java.nio.file.Path cfg = node.configFile("io.opsd.heartbeat.cfg");
        String original = Files.readString(cfg);
        try {
            NodeProcess.writeAtomically(cfg, original + "\ntoken = s3cret-token\n");
            NodeProcess.await(Duration.ofSeconds(20), () -> status(valid()) == 401, () -> "the token is not enforced");
            expect(post("/heartbeat", valid()), 401, false, "unauthorized");
            expect(call("POST", "/heartbeat", valid(), "Bearer wrong", false), 401, false, "unauthorized");
            expect(call("POST", "/heartbeat", valid(), "Bearer s3cret-token", false), 200, true, "heartbeat received");
            assertTrue(!node.output().contains("s3cret-token"), "the token is never logged");
        } finally {
            NodeProcess.writeAtomically(cfg, original);
            NodeProcess.await(Duration.ofSeconds(20), () -> status(valid()) == 200, () -> "the token is still enforced");
        }
    }

    /** The status of a POST, or -1 when the connection failed (for waits, where that means "not yet"). */
    private int status(String body) {
        try {
            return post("/heartbeat", body).status();
        } catch (java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private JsonNode stats() {
        return call("GET", "/heartbeat/stats", null, null, false).body();
    }

    private Answer post(String path, String body) {
        return call("POST", path, body, null, false);
    }

    /**
     * java.net.http: no authentication handling of its own, and a body of unknown length is sent chunked. A client
     * per call: these tests are about answers, and a pooled connection the server has just closed (after a 413)
     * would fail the next request for a reason that is not the contract's.
     */
    private Answer call(String method, String path, String body, String authorization, boolean chunked) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + path))
                .timeout(Duration.ofSeconds(10));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
            HttpResponse<String> r = client.send(b.method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
