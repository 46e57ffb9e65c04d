package io.opsd.store.internal;

import java.nio.file.Path;
import java.time.Duration;

import io.opsd.api.store.AgentPatch;

/**
 * The process the crash test kills: updates every agent with a growing sequence number, flushes, and prints
 * {@code acked N} once the store says state N is on disk. Continues from what it finds in the directory.
 */
public final class StoreCrashChild {

    static final int AGENTS = 5;

    private StoreCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        FileMetadataStore store = StoreTesting.withFlushInterval(Path.of(args[0]), Duration.ofMillis(2));
        int seq = store.list().stream().mapToInt(r -> r.restartCount()).max().orElse(0);
        System.out.println("loaded " + seq);
        System.out.flush();
        while (true) {
            seq++;
            for (int a = 0; a < AGENTS; a++) {
                store.update("agent-" + a, AgentPatch.builder().restartCount(seq).status("state-" + seq).build());
            }
            if (store.flush(Duration.ofSeconds(10))) {
                System.out.println("acked " + seq);
                System.out.flush();
            }
        }
    }
}
