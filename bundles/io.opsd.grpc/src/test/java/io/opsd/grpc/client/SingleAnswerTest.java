package io.opsd.grpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class SingleAnswerTest {

    private static final Duration NOW = Duration.ofMillis(1);

    @Test
    void theFirstAnswerIsKeptAndTheEndChangesNothing() {
        SingleAnswer<String> answer = new SingleAnswer<>();
        answer.onNext("first");
        answer.onNext("second");
        answer.onCompleted();
        assertEquals("first", answer.await(NOW));
    }

    @Test
    void anEndWithoutAnAnswerIsInternal() {
        SingleAnswer<String> answer = new SingleAnswer<>();
        answer.onCompleted();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> answer.await(NOW));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("the call ended without an answer", e.getStatus().getDescription());
    }

    @Test
    void theCallsErrorIsThrownAsItsStatus() {
        SingleAnswer<String> refused = new SingleAnswer<>();
        StatusRuntimeException denied = Status.PERMISSION_DENIED.withDescription("no").asRuntimeException();
        refused.onError(denied);
        assertEquals(denied, assertThrows(StatusRuntimeException.class, () -> refused.await(NOW)));

        SingleAnswer<String> broken = new SingleAnswer<>();
        broken.onError(new IOException("reset"));
        assertEquals(Status.Code.UNKNOWN,
            assertThrows(StatusRuntimeException.class, () -> broken.await(NOW)).getStatus().getCode());
    }

    @Test
    void noAnswerInTimeIsDeadlineExceededAndAnInterruptIsCancelledWithTheFlagKept() {
        SingleAnswer<String> silent = new SingleAnswer<>();
        assertEquals(Status.Code.DEADLINE_EXCEEDED,
            assertThrows(StatusRuntimeException.class, () -> silent.await(NOW)).getStatus().getCode());
        Thread.currentThread().interrupt();
        try {
            assertEquals(Status.Code.CANCELLED, assertThrows(StatusRuntimeException.class,
                () -> silent.await(Duration.ofSeconds(10))).getStatus().getCode());
            assertTrue(Thread.interrupted(), "the interrupt flag is set again");
        } finally {
            Thread.interrupted();
        }
    }
}
