package io.opsd.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The HTTP host and port of {@code org.apache.felix.http.cfg}, as framework properties; and, when that file can be
 * read, Felix HTTP told to wait for its configuration, so Jetty starts once, on the configured settings, instead of
 * on defaults and again when ConfigAdmin delivers the file.
 */
final class HttpSeed {

    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";
    static final String REQUIRE_CONFIG = "org.apache.felix.http.require.config";

    private HttpSeed() {
    }

    static Map<String, String> read(Path cfg) {
        Map<String, String> seed = new TreeMap<>(Map.of(PORT, "8084", HOST, "127.0.0.1"));
        if (!Files.isRegularFile(cfg)) {
            return seed;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return seed; // FileInstall reads the file too, and reports what is wrong with it
        }
        seed.put(REQUIRE_CONFIG, "true");
        for (String key : new String[] {PORT, HOST}) {
            String value = p.getProperty(key);
            if (value != null && !value.isBlank() && !value.contains("${") && !value.contains("$[")) {
                seed.put(key, value.trim());
            }
        }
        return seed;
    }
}
