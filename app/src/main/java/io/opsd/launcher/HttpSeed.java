package io.opsd.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
        Optional<Properties> file = CfgFile.read(cfg);
        if (file.isEmpty()) {
            return seed;
        }
        Properties p = file.get();
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
