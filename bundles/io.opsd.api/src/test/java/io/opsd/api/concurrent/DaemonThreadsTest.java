package io.opsd.api.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void numberedThreadsAreDaemonsCountedFromOne() {
        ThreadFactory factory = DaemonThreads.numbered("opsd-test");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertEquals("opsd-test-1", first.getName());
        assertEquals("opsd-test-2", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
    }

    @Test
    void namedThreadsAreDaemonsOfOneName() {
        Thread thread = DaemonThreads.named("opsd-one").newThread(() -> { });
        assertEquals("opsd-one", thread.getName());
        assertTrue(thread.isDaemon());
    }
}
