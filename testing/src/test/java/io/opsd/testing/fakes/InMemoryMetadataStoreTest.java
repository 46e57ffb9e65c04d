package io.opsd.testing.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.ResourceSample;

class InMemoryMetadataStoreTest {

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();

    @Test
    void updatesApplyOnTopOfEachOtherAndAreCounted() {
        store.update("b", AgentPatch.builder().type("custom").build());
        AgentRecord b = store.update("b", AgentPatch.builder().status("running").build());
        store.update("a", AgentPatch.builder().status("stopped").build());
        assertEquals("custom", b.type(), "the first patch is kept");
        assertEquals("running", b.status());
        assertEquals(List.of("a", "b"), store.list().stream().map(AgentRecord::id).toList(), "id order");
        assertEquals(3, store.updates());
        assertEquals(2, store.status().agents());
    }

    @Test
    void historyIsTheWindowAskedForAndASampleMakesTheAgentKnown() {
        Instant t = Instant.ofEpochSecond(1_700_000_000L);
        for (int i = 0; i < 5; i++) {
            store.record("a", new ResourceSample(t.plusSeconds(i), i, 0, 0, 0, 0, 0, 1));
        }
        assertEquals(List.of(1.0, 2.0, 3.0), store.history("a", t.plusSeconds(1), t.plusSeconds(3)).stream()
            .map(ResourceSample::cpuPercent).toList());
        assertTrue(store.get("a").isPresent());
        assertTrue(store.remove("a"));
        assertFalse(store.remove("a"));
        assertEquals(List.of(), store.history("a", t, t.plusSeconds(5)));
    }
}
