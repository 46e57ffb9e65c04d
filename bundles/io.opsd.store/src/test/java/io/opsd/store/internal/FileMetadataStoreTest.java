package io.opsd.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.api.store.LastExit;
import io.opsd.api.store.ResourceSample;

class FileMetadataStoreTest {

    @TempDir
    Path dir;

    @Test
    void aPatchChangesOnlyTheFieldsItGivesAndZeroIsAValue() throws Exception {
        FileMetadataStore store = StoreTesting.manualFlush(dir);
        store.update("filebeat", AgentPatch.builder().type("filebeat").restartCount(3).process(4711, 99).build());
        AgentRecord r = store.update("filebeat", AgentPatch.builder().status("running").build());
        assertEquals(3, r.restartCount(), "a status-only update keeps the restart count");
        assertEquals(4711, r.pid());
        assertEquals("filebeat", r.type());
        r = store.update("filebeat", AgentPatch.builder().restartCount(0).process(0, 0).build());
        assertEquals(0, r.restartCount(), "zero is a value, not 'not given'");
        assertEquals(0, r.pid());
        assertEquals("running", r.status());
        assertEquals(3, r.revision());
        store.deactivate();
    }

    @Test
    void concurrentWritersOfDifferentFieldsLoseNothing() throws Exception {
        FileMetadataStore store = StoreTesting.withFlushInterval(dir, Duration.ofMillis(5));
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
                store.update("a", AgentPatch.builder().incrementRestartCount().build());
            }
            return null;
        }));
        done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
                store.update("a", AgentPatch.builder().status("status-" + i).build());
            }
            return null;
        }));
        done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
                Instant t = Instant.ofEpochSecond(1_700_000_000L + i);
                store.update("a", AgentPatch.builder().heartbeat(t, t, "ok").reported(i % 100, i).build());
            }
            return null;
        }));
        done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < perThread; i++) {
                store.record("a", new ResourceSample(Instant.now(), 1, i, i, 0, 0, 3, 4));
            }
            return null;
        }));
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        AgentRecord a = store.get("a").orElseThrow();
        assertEquals(perThread, a.restartCount(), "no increment lost");
        assertEquals("status-" + (perThread - 1), a.status());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L + perThread - 1), a.lastHeartbeat().orElseThrow());
        assertEquals(OptionalDouble.of((perThread - 1) % 100), a.reportedCpu());
        assertEquals(3L * perThread, a.revision(), "every patch applied once");
        assertEquals(1440, store.history("a", Instant.EPOCH, Instant.now().plusSeconds(60)).size(),
            "all samples went in; the ring keeps the newest 1440");
        assertTrue(store.flush(Duration.ofSeconds(30)));
        assertEquals(a, new AgentJson().read(Files.readAllBytes(dir.resolve("a.json"))), "the file holds the last state");
        store.deactivate();
    }

    @Test
    void everythingSurvivesARestartOfTheStore() throws Exception {
        FileMetadataStore store = StoreTesting.manualFlush(dir);
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        store.update("telegraf", AgentPatch.builder().type("telegraf").version("1.30").status("running")
            .desiredState(DesiredState.STOPPED).process(321, 12345).startTime(t).lastExit(LastExit.signal(t, "SIGKILL"))
            .heartbeat(t, t.plusMillis(3), "ok").reported(12.5, 1 << 20).health("unhealthy", "no heartbeat for 90s")
            .build());
        store.record("telegraf", new ResourceSample(Instant.now(), 2.5, 100, 200, 300, 400, 5, 6));
        assertTrue(store.flush(Duration.ofSeconds(10)));
        AgentRecord before = store.get("telegraf").orElseThrow();
        store.deactivate();

        FileMetadataStore again = StoreTesting.manualFlush(dir);
        assertEquals(before, again.get("telegraf").orElseThrow());
        List<ResourceSample> history = again.history("telegraf", Instant.EPOCH, Instant.now().plusSeconds(1));
        assertEquals(1, history.size());
        assertEquals(400, history.get(0).diskWriteBytes());
        again.deactivate();
    }

    @Test
    void writesAreCoalescedToOnePerAgentPerFlush() throws Exception {
        FileMetadataStore store = StoreTesting.manualFlush(dir);
        for (int i = 0; i < 1_000; i++) {
            store.update("agent-" + (i % 10), AgentPatch.builder().status("s" + i).build());
        }
        assertTrue(store.flush(Duration.ofSeconds(10)));
        assertEquals(10, store.status().writes(), "10 agents, 1000 updates, 10 writes");
        assertEquals(1_000, store.status().updates());
        assertTrue(store.flush(Duration.ofSeconds(10)));
        assertEquals(10, store.status().writes(), "nothing pending, nothing written");
        store.deactivate();
    }

    @Test
    void unreadableFilesAreSetAsideAndReportedWhileTheOthersLoad() throws Exception {
        FileMetadataStore first = StoreTesting.manualFlush(dir);
        first.update("good", AgentPatch.builder().status("running").build());
        first.update("truncated", AgentPatch.builder().status("running").build());
        assertTrue(first.flush(Duration.ofSeconds(10)));
        first.deactivate();
        byte[] full = Files.readAllBytes(dir.resolve("truncated.json"));
        Files.write(dir.resolve("truncated.json"), java.util.Arrays.copyOf(full, full.length / 2));
        Files.write(dir.resolve("empty.json"), new byte[0]);
        Files.writeString(dir.resolve("garbage.json"), "\u0000\u0001not json at all");
        Files.writeString(dir.resolve("other.json"), new String(full).replace("\"truncated\"", "\"someone-else\""));
        Files.writeString(dir.resolve("good.json.tmp"), "{\"id\":\"good\",\"sta");

        FileMetadataStore store = StoreTesting.manualFlush(dir);
        assertEquals(List.of("good"), store.list().stream().map(AgentRecord::id).toList());
        assertEquals(4, store.status().corruptFiles());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            for (String bad : List.of("truncated", "empty", "garbage", "other")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(bad + ".json.corrupt-")), bad + " in " + names);
                assertFalse(names.contains(bad + ".json"), names.toString());
            }
            assertFalse(names.contains("good.json.tmp"), "an unfinished write is removed");
        }
        store.deactivate();
    }

    @Test
    void badIdsAreRefusedBeforeAnyFileIsTouched() throws Exception {
        // the store one level down in this test's own folder: "../x" would land beside it, where nothing else writes
        Path agents = Files.createDirectories(dir.resolve("agents"));
        FileMetadataStore store = StoreTesting.manualFlush(agents);
        for (String bad : new String[] {"../x", "a/b", "", ".", "..", "x".repeat(101), "nul\u0000", "\u0430gent",
            "a b", "a\\b", "-leading", "/abs"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.update(bad, AgentPatch.builder().status("x").build()), bad);
            assertTrue(e.getMessage().startsWith("invalid agent id"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.get(bad));
            assertThrows(IllegalArgumentException.class, () -> store.history(bad, Instant.EPOCH, Instant.now()));
        }
        assertThrows(IllegalArgumentException.class, () -> store.update(null, AgentPatch.builder().build()));
        store.update("x".repeat(100), AgentPatch.builder().status("ok").build());
        assertEquals(1, store.list().size());
        assertFalse(Files.exists(agents.getParent().resolve("x")));
        store.deactivate();
    }

    @Test
    void removingAnAgentDeletesItsFiles() throws Exception {
        FileMetadataStore store = StoreTesting.manualFlush(dir);
        store.update("gone", AgentPatch.builder().status("running").build());
        store.record("gone", new ResourceSample(Instant.now(), 1, 1, 1, 1, 1, 1, 1));
        assertTrue(store.flush(Duration.ofSeconds(10)));
        assertTrue(Files.exists(dir.resolve("gone.json")));
        assertTrue(store.remove("gone"));
        assertTrue(store.flush(Duration.ofSeconds(10)));
        assertFalse(Files.exists(dir.resolve("gone.json")));
        assertFalse(Files.exists(dir.resolve("history/gone.json")));
        assertFalse(store.remove("gone"));
        store.deactivate();
    }
}
