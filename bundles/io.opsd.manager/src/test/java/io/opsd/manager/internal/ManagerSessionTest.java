package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.opsd.api.node.AdvertisedPort;
import io.opsd.api.node.NodeInfo;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.RegisterNodeRequest;

class ManagerSessionTest {

    private final ManualLoop loop = new ManualLoop();
    private final FakeManager manager = new FakeManager();
    private final Map<String, AdvertisedPort> ports = new ConcurrentHashMap<>();
    private NodeInfo node = node("site", "lab");
    private int registeredCalls;
    private final ManagerSession session = new ManagerSession(loop, manager,
        new Backoff(Duration.ofSeconds(8), n -> 0), () -> node, ports.values(), "manager:9090",
        Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC), () -> registeredCalls++);

    private static NodeInfo node(String label, String value) {
        return new NodeInfo("n1", "host1", "10.0.0.5", "linux", "amd64", Map.of(label, value), "1.0.0");
    }

    private static AdvertisedPort port(String name, int number) {
        return new AdvertisedPort() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int port() {
                return number;
            }
        };
    }

    private void register() {
        session.connect();
        manager.take();
        loop.runReady();
        assertTrue(session.registered());
    }

    @Test
    void failedRegistrationsAreRetriedAfterWaitsThatDoubleUpToReconnectMax() {
        session.connect();
        for (long seconds : List.of(1L, 2L, 4L, 8L, 8L)) {
            assertInstanceOf(RegisterNodeRequest.class, manager.waiting());
            manager.fail();
            loop.runReady();
            assertEquals(List.of(Duration.ofSeconds(seconds)), loop.delays(), "one attempt is scheduled");
            assertEquals(0, manager.waitingCount(), "no attempt before the wait is over");
            loop.fireDelayed();
        }
        assertEquals(6, manager.connectBackoffResets, "every attempt dials at once, past the channel's own backoff");
        manager.refuse("database unavailable");
        loop.runReady();
        assertEquals(List.of(Duration.ofSeconds(8)), loop.delays(), "a refused registration is retried as well");
        assertFalse(session.registered());
        assertEquals(0, registeredCalls);
    }

    @Test
    void aSuccessfulRegistrationStartsTheNextOutageFromOneSecond() {
        session.connect();
        manager.fail();
        loop.runReady();
        loop.fireDelayed();
        manager.fail();
        loop.runReady();
        assertEquals(List.of(Duration.ofSeconds(2)), loop.delays());
        loop.fireDelayed();
        manager.take();
        loop.runReady();
        assertTrue(session.registered());
        assertEquals(1, registeredCalls, "what waits is sent once the Manager knows the node");

        session.lost(Status.UNAVAILABLE.asRuntimeException());
        assertFalse(session.registered());
        assertEquals(List.of(Duration.ofSeconds(1)), loop.delays());
    }

    @Test
    void callsThatFailTogetherStartOneChainOfAttempts() {
        register();
        session.lost(Status.UNAVAILABLE.asRuntimeException());
        session.lost(Status.DEADLINE_EXCEEDED.asRuntimeException());
        session.lost(Status.UNAVAILABLE.asRuntimeException());
        assertEquals(List.of(Duration.ofSeconds(1)), loop.delays());
    }

    @Test
    void theRegistrationCarriesTheNodeAndEachAdvertisedPortAsALabel() {
        ports.put("grpc", port("grpc", 9091));
        session.connect();
        RegisterNodeRequest request = (RegisterNodeRequest) manager.waiting();
        assertEquals("n1", request.getNodeId());
        assertEquals("10.0.0.5", request.getIp());
        assertEquals(Map.of("site", "lab", "opsd.grpc_port", "9091"), request.getLabelsMap());
    }

    @Test
    void aPortAdvertisedWhileRegisteringIsSentByASecondRegistration() {
        session.connect();
        ports.put("grpc", port("grpc", 9091));
        session.portsChanged();
        assertEquals(1, manager.waitingCount(), "one registration at a time");
        manager.take();
        loop.runReady();
        RegisterNodeRequest again = (RegisterNodeRequest) manager.waiting();
        assertEquals("9091", again.getLabelsMap().get("opsd.grpc_port"));
    }

    @Test
    void aRefusedHeartbeatRegistersAgain() {
        register();
        session.heartbeat();
        HeartbeatRequest heartbeat = (HeartbeatRequest) manager.waiting();
        assertEquals(1_700_000_000L, heartbeat.getTimestamp());
        manager.refuse("node not registered");
        loop.runReady();
        assertFalse(session.registered());
        assertInstanceOf(RegisterNodeRequest.class, manager.waiting());
    }

    @Test
    void aChangedIdentityRegistersAgainInsteadOfAHeartbeat() {
        register();
        node = node("site", "lab2");
        session.heartbeat();
        RegisterNodeRequest again = (RegisterNodeRequest) manager.waiting();
        assertEquals("lab2", again.getLabelsMap().get("site"));
    }

    @Test
    void aFailedHeartbeatLosesTheManager() {
        register();
        session.heartbeat();
        manager.fail();
        loop.runReady();
        assertFalse(session.registered());
        assertEquals(List.of(Duration.ofSeconds(1)), loop.delays());
        loop.fireDelayed();
        assertInstanceOf(RegisterNodeRequest.class, manager.waiting());
    }
}
