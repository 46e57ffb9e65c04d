package io.opsd.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.heartbeat.HeartbeatIntake.Outcome;
import io.opsd.heartbeat.HeartbeatIntake.Result;
import io.opsd.testing.fakes.FakeAgentManager;

/** The socket's heartbeats (found by pid) and POST /heartbeat's (found by agent_id) pass the same decoder and rules. */
class HeartbeatAdmissionTest {

    private static final long PID = 4242;

    /** One agent, "filebeat", running with {@link #PID}. */
    private static final AgentManager ONE_AGENT = new FakeAgentManager(new AgentStatus(
        "filebeat", "custom", "filebeat", AgentState.RUNNING, DesiredState.RUNNING, PID, Optional.empty(), 0,
        Optional.empty(), "unknown", "", Optional.empty(), Optional.empty(), List.of()));

    private final HeartbeatReceiverTest.HeldStore store = new HeartbeatReceiverTest.HeldStore(false);
    private final HeartbeatReceiver receiver = new HeartbeatReceiver(store, ONE_AGENT,
        new ReceiverSettings(true, 2, 1000, 65536, ""));
    private final HeartbeatAdmission intake = new HeartbeatAdmission(receiver, ONE_AGENT);

    @AfterEach
    void stop() throws InterruptedException {
        receiver.deactivate();
    }

    @Test
    void aSocketLineReachesTheStoreOfTheAgentRunningWithItsPidAndIsCounted() throws Exception {
        Result result = byPid("{\"pid\":4242,\"timestamp\":\"2026-11-23T10:00:00Z\",\"version\":\"1.0\","
            + "\"status\":\"running\",\"cpu\":2.5,\"memory\":123456}");
        assertEquals(new Result(Outcome.QUEUED, "heartbeat received"), result);
        receiver.deactivate(); // drains the queue into the store
        AgentRecord stored = store.get("filebeat").orElseThrow();
        assertEquals(Optional.of(Instant.parse("2026-11-23T10:00:00Z")), stored.lastHeartbeat());
        assertEquals(OptionalDouble.of(2.5), stored.reportedCpu());
        assertEquals(OptionalLong.of(123456), stored.reportedMemory());
        assertEquals(Optional.of("running"), stored.heartbeatStatus());
        assertEquals(1, receiver.stats().received());
        assertEquals(1, receiver.stats().processed());
    }

    @Test
    void aSocketLineIsDecodedAsAnHttpBodyIsFieldNamesInAnyCaseAndAgentIdIgnored() {
        assertEquals(Outcome.QUEUED, byPid("{\"PID\":4242,\"Memory\":1,\"agent_id\":\"someone-else\"}").outcome());
        assertEquals(Outcome.QUEUED, byPid("{\"pid\":4242,\"timestamp\":\"not a time\",\"unknown\":[1,{}]}").outcome());
    }

    @Test
    void aSocketLineOfTheWrongShapeIsRefusedWithTheContractsWordingAndNotCounted() {
        assertEquals(new Result(Outcome.MALFORMED, "invalid JSON format: json: cannot unmarshal string into Go struct"
            + " field HeartbeatRequest.pid of type int"), byPid("{\"pid\":\"4242\"}"));
        assertEquals(new Result(Outcome.MALFORMED, "invalid JSON format: json: cannot unmarshal number -1 into Go"
            + " struct field HeartbeatRequest.memory of type uint64"), byPid("{\"pid\":4242,\"memory\":-1}"));
        assertEquals(new Result(Outcome.MALFORMED, "invalid JSON format: json: cannot unmarshal string into Go struct"
            + " field HeartbeatRequest.cpu of type float64"), byPid("{\"pid\":4242,\"cpu\":\"high\"}"));
        assertEquals(new Result(Outcome.MALFORMED, "invalid JSON format: unexpected EOF"), byPid("{\"pid\":4242"));
        assertEquals(new Result(Outcome.INVALID, "validation failed: cpu: cpu must be between 0 and 100"),
            byPid("{\"pid\":4242,\"cpu\":101}"));
        assertEquals(new Result(Outcome.INVALID, "validation failed: pid: pid must be greater than 0"),
            byPid("{\"cpu\":1}"));
        assertEquals(new Result(Outcome.INVALID, "validation failed: pid: no agent runs with pid 7"),
            byPid("{\"pid\":7}"));
        assertEquals(0, receiver.stats().received());
    }

    @Test
    void anHttpBodyNamesItsAgentByAgentIdWithTheOldDaemonsRulesInOrder() {
        assertEquals(new Result(Outcome.QUEUED, "heartbeat received"),
            intake.offer(bytes("{\"agent_id\":\"filebeat\",\"pid\":1}"), Instant.now()));
        assertEquals(new Result(Outcome.INVALID, "validation failed: agent_id: agent_id is required"),
            intake.offer(bytes("{\"pid\":4242}"), Instant.now()));
        assertEquals(new Result(Outcome.INVALID, "validation failed: agent_id: agent_id not found in registry"),
            intake.offer(bytes("{\"agent_id\":\"nobody\",\"pid\":0}"), Instant.now()));
        assertEquals(1, receiver.stats().received());
    }

    private Result byPid(String line) {
        return intake.offerByPid(bytes(line), Instant.now());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
