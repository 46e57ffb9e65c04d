package io.opsd.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.testing.Await;
import io.opsd.testing.fakes.FakeAgentManager;
import io.opsd.testing.fakes.InMemoryMetadataStore;

class HeartbeatReceiverTest {

    /** A store whose updates can be held, to play slow workers. */
    static final class HeldStore extends InMemoryMetadataStore {
        final CountDownLatch release;

        HeldStore(boolean held) {
            release = new CountDownLatch(held ? 1 : 0);
        }

        @Override
        public AgentRecord update(String id, AgentPatch patch) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.update(id, patch);
        }
    }

    static final AgentManager ALL_REGISTERED = FakeAgentManager.registeringAll();

    private static HeartbeatRequest hb(int i) {
        return new HeartbeatRequest("agent-" + (i % 10), 100 + i, "running", 1, 1, Optional.empty());
    }

    @Test
    void aFullQueueAnswersFullAndReceivedCountsThoseToo() throws Exception {
        HeldStore store = new HeldStore(true);
        HeartbeatReceiver receiver = new HeartbeatReceiver(store, ALL_REGISTERED,
            new ReceiverSettings(true, 2, 5, 65536, ""));
        List<HeartbeatReceiver.Admission> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(receiver.accept(hb(i), Instant.now()));
        }
        long queued = answers.stream().filter(a -> a == HeartbeatReceiver.Admission.QUEUED).count();
        long full = answers.stream().filter(a -> a == HeartbeatReceiver.Admission.FULL).count();
        assertEquals(5, queued, "2 workers held plus 3 waiting fill a queue of 5: " + answers);
        assertEquals(15, full);
        assertEquals(20, receiver.stats().received(), "received counts the 503s for a full queue too");
        store.release.countDown();
        await(() -> receiver.stats().processed() == 5, () -> "processed " + receiver.stats());
        assertEquals(HeartbeatReceiver.Admission.QUEUED, receiver.accept(hb(99), Instant.now()), "room again");
        receiver.deactivate();
    }

    @Test
    void aBurstOfAHundredToAnIdleReceiverIsCountedExactly() throws Exception {
        HeldStore store = new HeldStore(false);
        HeartbeatReceiver receiver = new HeartbeatReceiver(store, ALL_REGISTERED,
            new ReceiverSettings(true, 10, 1000, 65536, ""));
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            senders.add(new Thread(() -> {
                for (int i = offset; i < 100; i += 4) {
                    receiver.accept(hb(i), Instant.now());
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread t : senders) {
            t.join();
        }
        await(() -> receiver.stats().processed() == 100, () -> "stats " + receiver.stats());
        assertEquals(100, receiver.stats().received());
        assertEquals(100, store.updates());
        receiver.deactivate();
    }

    @Test
    void stoppingDrainsEveryAcceptedHeartbeatAndThenRefuses() throws Exception {
        HeldStore store = new HeldStore(true);
        HeartbeatReceiver receiver = new HeartbeatReceiver(store, ALL_REGISTERED,
            new ReceiverSettings(true, 2, 1000, 65536, ""));
        for (int i = 0; i < 50; i++) {
            assertEquals(HeartbeatReceiver.Admission.QUEUED, receiver.accept(hb(i), Instant.now()));
        }
        Thread stopper = new Thread(() -> {
            try {
                receiver.deactivate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        await(receiver::stopped, () -> "not stopping");
        assertEquals(HeartbeatReceiver.Admission.STOPPED, receiver.accept(hb(1), Instant.now()));
        store.release.countDown();
        stopper.join(30_000);
        assertEquals(50, receiver.stats().processed(), "every accepted heartbeat reached the store");

        HeartbeatReceiver idle = new HeartbeatReceiver(new HeldStore(false), ALL_REGISTERED,
            new ReceiverSettings(true, 2, 1000, 65536, ""));
        long start = System.nanoTime();
        idle.deactivate();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "an empty queue stops at once");
    }

    @Test
    void everyHeartbeatAnsweredQueuedWhileStopRacesTheSendersReachesTheStore() throws Exception {
        for (int round = 0; round < 20; round++) {
            HeldStore store = new HeldStore(false);
            HeartbeatReceiver receiver = new HeartbeatReceiver(store, ALL_REGISTERED,
                new ReceiverSettings(true, 3, 100_000, 65536, ""));
            java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                senders.add(new Thread(() -> {
                    started.countDown();
                    for (int i = 0; i < 20_000; i++) {
                        HeartbeatReceiver.Admission a = receiver.accept(hb(i), Instant.now());
                        if (a == HeartbeatReceiver.Admission.QUEUED) {
                            queued.incrementAndGet();
                        } else if (a == HeartbeatReceiver.Admission.STOPPED) {
                            return;
                        }
                    }
                }));
            }
            senders.forEach(Thread::start);
            started.await();
            receiver.deactivate();
            for (Thread t : senders) {
                t.join();
            }
            assertEquals(queued.get(), store.updates(),
                "round " + round + ": every heartbeat answered 200 is in the store");
            assertEquals(queued.get(), receiver.stats().processed());
        }
    }

    private static void await(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> seen) {
        Await.until(Duration.ofSeconds(20), done, seen);
    }
}
