package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class CallbackReachTest {

    @Test
    void aLoopbackServerIsNotReachedAtTheRegisteredAddress() {
        String problem = CallbackReach.problem("grpc", "192.0.2.7", "127.0.0.1:9091").orElseThrow();
        assertTrue(problem.startsWith("the Manager calls this node back at 192.0.2.7:9091, but grpc listens on"
            + " 127.0.0.1:9091 only"), problem);
    }

    @Test
    void everyInterfaceOrTheSameAddressIsReached() {
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "192.0.2.7", "0.0.0.0:9091"));
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "192.0.2.7", "[::]:9091"));
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "192.0.2.7", "192.0.2.7:9091"));
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "127.0.0.1", "127.0.0.1:9091"));
    }

    @Test
    void whatCannotBeComparedIsNotReported() {
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "", "127.0.0.1:9091"));
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "192.0.2.7", "9091"));
        assertEquals(Optional.empty(), CallbackReach.problem("grpc", "gw.example.net", "127.0.0.1:9091"));
    }
}
