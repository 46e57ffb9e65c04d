package io.opsd.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.store.AgentRecord;

/**
 * A child JVM writes the store in a loop and is killed with SIGKILL at random moments, 50 times over the same
 * directory. After every kill each file must parse and hold a state at least as new as the last one the store
 * acknowledged as flushed, and no newer than the last one written.
 */
class CrashSafetyTest {

    private static final int ROUNDS = 50;

    @TempDir
    Path dir;

    @Test
    void everyFileSurvivesSigkillAtAnyMomentWithAnAcknowledgedState() throws Exception {
        Random random = new Random();
        AgentJson codec = new AgentJson();
        int filesChecked = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(30);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StoreCrashChild.class.getName(), dir.toString()).redirectErrorStream(true).start();
            int acked = -1;
            int loaded = -1;
            StringBuilder other = new StringBuilder();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                int acks = 0;
                boolean killed = false;
                // after the kill, read on to EOF: the child may have acknowledged more before it died
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("loaded ")) {
                        loaded = Integer.parseInt(line.substring(7));
                    } else if (line.startsWith("acked ")) {
                        acked = Integer.parseInt(line.substring(6));
                        if (!killed && ++acks >= killAfter) {
                            child.toHandle().destroyForcibly(); // SIGKILL, streams stay open to read to EOF
                            killed = true;
                        }
                    } else if (other.length() < 4_000) {
                        other.append(line).append('\n'); // the child's log lines, shown if the round fails
                    }
                }
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(acked > loaded, "round " + round + ": the child acknowledged nothing; it said:\n" + other);
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> states = files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
                assertEquals(StoreCrashChild.AGENTS, states.size(), "round " + round + ": " + states);
                for (Path f : states) {
                    AgentRecord r = codec.read(Files.readAllBytes(f)); // throws if torn
                    assertTrue(r.restartCount() >= acked, "round " + round + ": " + f.getFileName() + " holds state "
                        + r.restartCount() + ", older than the acknowledged " + acked);
                    assertTrue(r.restartCount() <= acked + 1, "round " + round + ": " + f.getFileName()
                        + " holds state " + r.restartCount() + ", which was never written");
                    assertEquals("state-" + r.restartCount(), r.status(), "fields of one state belong together");
                    filesChecked++;
                }
            }
        }
        org.slf4j.LoggerFactory.getLogger(CrashSafetyTest.class).info("crash safety: {} rounds, {} files checked",
            ROUNDS, filesChecked);
        assertEquals(ROUNDS * StoreCrashChild.AGENTS, filesChecked);
    }
}
