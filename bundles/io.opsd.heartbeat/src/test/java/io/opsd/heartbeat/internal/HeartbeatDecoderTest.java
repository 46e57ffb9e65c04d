package io.opsd.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HeartbeatDecoderTest {

    private final HeartbeatDecoder decoder = new HeartbeatDecoder();

    private HeartbeatRequest decode(String json) throws Exception {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private String error(String json) {
        return assertThrows(HeartbeatDecoder.DecodeException.class, () -> decode(json)).getMessage();
    }

    @Test
    void decodesTheContractFieldsCaseInsensitivelyAndIgnoresUnknownOnes() throws Exception {
        HeartbeatRequest r = decode("{\"Agent_ID\":\"fb\",\"pid\":42,\"status\":\"running\",\"cpu\":12.5,"
            + "\"memory\":1048576,\"timestamp\":\"2026-11-23T10:00:00.123456789+01:00\",\"extra\":[1,{\"a\":2}]}");
        assertEquals(new HeartbeatRequest("fb", 42, "running", 12.5, 1048576,
            Optional.of(Instant.parse("2026-11-23T09:00:00.123456789Z"))), r);
        assertEquals(Optional.empty(), decode("{\"agent_id\":\"a\",\"pid\":1,\"timestamp\":\"yesterday\"}")
            .timestamp(), "an invalid timestamp means the server's time");
        assertEquals(0, decode("{\"agent_id\":\"a\"}").pid(), "a missing pid is 0");
        assertEquals(0, decode("{\"agent_id\":\"a\",\"pid\":null}").pid());
    }

    @Test
    void typeErrorsUseTheOldDaemonsWording() {
        assertEquals("json: cannot unmarshal string into Go struct field HeartbeatRequest.pid of type int",
            error("{\"agent_id\":\"a\",\"pid\":\"42\"}"));
        assertEquals("json: cannot unmarshal number 1.5 into Go struct field HeartbeatRequest.pid of type int",
            error("{\"agent_id\":\"a\",\"pid\":1.5}"));
        assertEquals("json: cannot unmarshal number -1 into Go struct field HeartbeatRequest.memory of type uint64",
            error("{\"agent_id\":\"a\",\"pid\":1,\"memory\":-1}"));
        assertEquals("json: cannot unmarshal number into Go struct field HeartbeatRequest.agent_id of type string"
            .replace("number into", "number 5 into"), error("{\"agent_id\":5}"));
        assertEquals("json: cannot unmarshal array into Go value of type handler.HeartbeatRequest", error("[]"));
    }

    @Test
    void malformedDocumentsUseGosSyntaxWording() {
        assertEquals("EOF", error(""));
        assertEquals("unexpected EOF", error("{\"agent_id\":\"a\""));
        assertEquals("invalid character 'x' looking for beginning of value", error("x"));
    }

    @Test
    void goTimeTrimsTrailingZerosAndHasAZeroTime() {
        assertEquals("2026-11-23T10:00:00.12Z", GoTime.rfc3339Nano(Instant.parse("2026-11-23T10:00:00.120Z")));
        assertEquals("2026-11-23T10:00:00Z", GoTime.rfc3339Nano(Instant.parse("2026-11-23T10:00:00Z")));
        assertEquals("0001-01-01T00:00:00Z", GoTime.rfc3339Nano(null));
        assertEquals("2026-01-02T03:04:05.000000001Z", GoTime.rfc3339Nano(Instant.parse("2026-01-02T03:04:05.000000001Z")));
        assertEquals("2026-01-02T03:04:05.123456789Z", GoTime.rfc3339Nano(Instant.parse("2026-01-02T03:04:05.123456789Z")));
        assertEquals("0999-12-31T23:59:59.05Z", GoTime.rfc3339Nano(Instant.parse("0999-12-31T23:59:59.05Z")));
    }
}
