package io.opsd.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.store.AgentPatch;

/**
 * A full disk, for real: a 256 KiB tmpfs mounted for the test (needs root, as CI has; skipped elsewhere), and a
 * directory that cannot be created (works everywhere).
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    @Test
    void onAFullDiskTheStoreServesFromMemoryKeepsTheFilesIntactAndRecovers() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()),
            "cannot mount a tmpfs here (not root?)");
        try {
            Path dir = mount.resolve("agents");
            FileMetadataStore store = StoreTesting.manualFlush(dir);
            for (String id : new String[] {"a", "b", "c"}) {
                store.update(id, AgentPatch.builder().status("running").restartCount(1).build());
            }
            assertTrue(store.flush(Duration.ofSeconds(10)));
            Map<String, byte[]> onDisk = new HashMap<>();
            for (String id : new String[] {"a", "b", "c"}) {
                onDisk.put(id, Files.readAllBytes(dir.resolve(id + ".json")));
            }

            Path filler = mount.resolve("filler");
            fill(filler);
            for (String id : new String[] {"a", "b", "c"}) {
                store.update(id, AgentPatch.builder().status("x".repeat(20_000)).restartCount(2).build());
            }
            assertFalse(store.flush(Duration.ofSeconds(10)), "nothing can be written");
            assertTrue(store.status().problem().orElseThrow().contains("No space left on device"),
                store.status().problem().toString());
            assertEquals(2, store.get("a").orElseThrow().restartCount(), "served from memory");
            for (String id : new String[] {"a", "b", "c"}) {
                assertArrayEquals(onDisk.get(id), Files.readAllBytes(dir.resolve(id + ".json")),
                    id + ".json was damaged");
                assertFalse(Files.exists(dir.resolve(id + ".json.tmp")), "no temporary file left");
            }

            Files.delete(filler);
            assertTrue(store.flush(Duration.ofSeconds(10)), "writes work again once there is space");
            assertTrue(store.status().problem().isEmpty());
            assertEquals(2, new AgentJson().read(Files.readAllBytes(dir.resolve("a.json"))).restartCount());
            store.deactivate();
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsReportedAndRetried() throws Exception {
        Path blocker = tmp.resolve("data");
        Files.writeString(blocker, "a file where the directory should be");
        FileMetadataStore store = StoreTesting.manualFlush(blocker.resolve("agents"));
        store.update("a", AgentPatch.builder().status("running").build());
        assertFalse(store.flush(Duration.ofSeconds(10)));
        assertTrue(store.status().problem().orElseThrow().startsWith("cannot write agent state to "
            + blocker.resolve("agents")), store.status().problem().toString());
        assertEquals("running", store.get("a").orElseThrow().status());

        Files.delete(blocker);
        assertTrue(store.flush(Duration.ofSeconds(10)));
        assertTrue(Files.exists(blocker.resolve("agents/a.json")));
        assertEquals(1, store.status().writeErrors());
        store.deactivate();
    }

    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 1_000; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
            return;
        }
        throw new IllegalStateException("the tmpfs never filled up");
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
