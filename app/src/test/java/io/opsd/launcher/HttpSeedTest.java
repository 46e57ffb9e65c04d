package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSeedTest {

    @TempDir
    Path dir;

    @Test
    void seedsHostAndPortFromTheFileAndDefaultsOtherwise() throws Exception {
        // no file: Jetty starts at once on the defaults, since no configuration will come
        assertEquals(Map.of(HttpSeed.PORT, "8084", HttpSeed.HOST, "127.0.0.1"), HttpSeed.read(dir.resolve("none.cfg")));
        Path cfg = dir.resolve("org.apache.felix.http.cfg");
        Files.writeString(cfg, "# comment\norg.osgi.service.http.port = 9999\norg.apache.felix.http.host = ${env:X}\n");
        // a file: Jetty waits for it, and starts once
        assertEquals(Map.of(HttpSeed.PORT, "9999", HttpSeed.HOST, "127.0.0.1", HttpSeed.REQUIRE_CONFIG, "true"),
            HttpSeed.read(cfg));
    }

    @Test
    void aFileThatCannotBeReadLetsJettyStartOnTheDefaults() throws Exception {
        Path cfg = dir.resolve("org.apache.felix.http.cfg");
        Files.writeString(cfg, "org.osgi.service.http.port = \\u12\n"); // a malformed \\uXXXX escape
        assertEquals(Map.of(HttpSeed.PORT, "8084", HttpSeed.HOST, "127.0.0.1"), HttpSeed.read(cfg));
    }
}
