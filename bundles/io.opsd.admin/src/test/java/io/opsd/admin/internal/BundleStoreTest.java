package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleStoreTest {

    @TempDir
    Path data;

    @TempDir
    Path framework;

    @Test
    void aKeptJarIsStoredWholeWithItsMarkerAndLeftoversAreCleaned() throws Exception {
        BundleStore store = new BundleStore(data, framework);
        Path upload = store.newIncoming("a.jar");
        Files.writeString(upload, "jar bytes");
        store.keep("io.acme.a", upload);
        store.mark("io.acme.a", BundleViews.hex(store.jar("io.acme.a")));

        assertEquals(data.resolve("admin/bundles/io.acme.a.jar"), store.jar("io.acme.a"));
        assertEquals("jar bytes", Files.readString(store.jar("io.acme.a")));
        assertEquals(List.of("io.acme.a"), store.storedNames());
        assertEquals(store.storedSha("io.acme.a"), store.marker("io.acme.a"));

        store.deleteIncoming();
        assertFalse(Files.exists(upload));
        store.delete("io.acme.a");
        assertEquals(List.of(), store.storedNames());
        assertEquals(Optional.empty(), store.marker("io.acme.a"));
    }
}
