package io.opsd.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CollectionPoolTest {

    private final AtomicInteger created = new AtomicInteger();
    private final CollectionPool pool = new CollectionPool(2, r -> {
        Thread t = new Thread(r, "collect-" + created.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void collectionsTickingTogetherQueueOnTheKeptThreads() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Future<?>> all = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 7; i++) {
                all.add(pool.submit(() -> threads.add(Thread.currentThread().getName())));
            }
        }
        for (Future<?> f : all) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, created.get(), "threads made for 35 collections on a pool of 2: " + threads);
    }

    @Test
    void aHungCollectionsThreadIsReplacedUntilItReturns() throws Exception {
        CountDownLatch hangs = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        Runnable hang = () -> {
            hangs.countDown();
            while (true) {
                try {
                    released.await(); // deaf to the timeout's interrupt, as a stuck native call would be
                    return;
                } catch (InterruptedException e) {
                    // keeps hanging
                }
            }
        };
        Future<?> first = pool.submit(hang);
        Future<?> second = pool.submit(hang);
        assertTrue(hangs.await(10, TimeUnit.SECONDS));
        Future<?> queued = pool.submit(() -> { });
        pool.timedOut(first);
        pool.timedOut(first); // counted once
        first.cancel(true);
        queued.get(10, TimeUnit.SECONDS); // ran on the replacement thread while both kept threads hang
        assertEquals(3, pool.threadsKept());

        released.countDown();
        second.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.threadsKept() != 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(2, pool.threadsKept(), "back to the configured size once the hung collection returned");
    }

    @Test
    void aCollectionNotYetStartedAtItsTimeoutIsNotCountedAsHung() {
        CollectionPool one = new CollectionPool(1, Thread::new);
        try {
            CountDownLatch released = new CountDownLatch(1);
            one.submit(() -> {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Future<?> waiting = one.submit(() -> { });
            one.timedOut(waiting);
            assertEquals(1, one.threadsKept());
            released.countDown();
        } finally {
            one.shutdownNow();
        }
    }
}
