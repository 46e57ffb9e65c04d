package io.opsd.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GoJsonTest {

    @Test
    void theAnswerEscapesAsGoDid() {
        String answer = GoJson.answer(false, "a\"b\\c <x> & \n\t\u0001\u001f \u2028\u2029 é");
        assertTrue(answer.startsWith("{\"success\":false,\"message\":\"a\\\"b\\\\c \\u003cx\\u003e \\u0026 \\n\\t\\u0001"
            + "\\u001f \\u2028\\u2029 é\",\"timestamp\":\""), answer);
        assertTrue(answer.matches(".*\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\"}\n"), answer);
    }

    @Test
    void theAcceptedAnswerIsTheSameDocumentWithItsOwnTimestamp() {
        String answer = GoJson.answer(true, "heartbeat received");
        assertTrue(answer.matches("\\{\"success\":true,\"message\":\"heartbeat received\",\"timestamp\":\""
            + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\"}\n"), answer);
    }

    @Test
    void theStatsKeepTheOldDaemonsFieldsInOrder() {
        HeartbeatReceiver.Stats s = new HeartbeatReceiver.Stats(5, 4, 1, Instant.parse("2026-12-06T00:00:01.5Z"), 30823,
            0, Map.of());
        assertEquals("{\"total_received\":5,\"total_processed\":4,\"total_errors\":1,"
            + "\"last_received_time\":\"" + GoTime.rfc3339Nano(s.lastReceived()) + "\",\"average_latency\":30823}\n",
            GoJson.stats(s));
    }
}
