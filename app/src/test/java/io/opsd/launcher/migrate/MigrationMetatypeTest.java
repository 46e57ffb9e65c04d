package io.opsd.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Migration names every PID and key itself; these tests hold them against what the bundles declare, so renaming a
 * key in a bundle's configuration fails here rather than in an imported node that ignores the old key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationMetatypeTest {

    /** OSGi Log Admin 1.4 (§101.8): keys are logger names, values log levels; there is no metatype. */
    private static final String LOG_ADMIN = "org.osgi.service.log.admin";
    private static final Set<String> LOG_LEVELS = Set.of("AUDIT", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");
    /** Felix HTTP declares its metatype in code, so its keys are looked up in the class that reads them. */
    private static final String FELIX_HTTP = "org.apache.felix.http";
    private static final String FELIX_HTTP_CONFIG = "org/apache/felix/http/jetty/internal/JettyConfig.class";

    /** Beyond the shipped fixture: the sections and values that make the conversions write their other keys. */
    private static final String MORE = """
        daemon:
          id: gw-7
          grpc_port: 9191
          socket_path: /run/daemon/heartbeat.sock
        manager:
          address: manager.example.net:9090
          token: t0k
          sync_interval: 10m
          tls:
            cert_file: /etc/daemon/tls/node.crt
            key_file: /etc/daemon/tls/node.key
            ca_file: /etc/daemon/tls/ca.crt
        collectors:
          load:
            enabled: true
            interval: 1m
          network:
            enabled: true
            interfaces: [eth0]
            exclude_interfaces: [lo]
          disk:
            exclude_fs_types: [tmpfs]
        agents:
          - id: exporter
            type: node_exporter
            binary_path: /usr/bin/node_exporter
            version: 1.8.2
            enabled: false
            keep_running_on_exit: true
            health_check:
              tcp_address: 127.0.0.1:9100
              cpu_threshold: 90
              threshold_duration: 2m
            restart:
              reset_after: 10m
        """;
    /** A Manager on this machine: the node then advertises 127.0.0.1, as the old daemon did. */
    private static final String LOCAL_MANAGER = """
        manager:
          address: 127.0.0.1:9090
        """;

    private final List<CfgFile> written = new ArrayList<>();
    private BundleMetatype metatype;

    @BeforeAll
    void convert() throws Exception {
        metatype = BundleMetatype.onClassPath();
        try (InputStream in = getClass().getResourceAsStream("/migrate/daemon.yaml")) {
            convert(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        convert(MORE);
        convert(LOCAL_MANAGER);
    }

    private void convert(String yaml) throws IOException {
        Path file = Files.writeString(Files.createTempFile("daemon-", ".yaml"), yaml);
        try {
            written.addAll(Migration.of(YamlMap.of(ImportConfig.read(file), ""), "daemon.yaml").files());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void everyPidAndKeyTheImportWritesIsDeclaredByTheBundleThatReadsIt() throws IOException {
        assertTrue(metatype.pids().stream().anyMatch(p -> p.startsWith("io.opsd.")), "no OSGI-INF/metatype/*.xml"
            + " of an opsd bundle on the test class path; bnd writes them into the bundles' jars, so run the build"
            + " to 'verify' (or 'package'), not 'test': " + metatype.pids());
        List<String> problems = new ArrayList<>();
        for (CfgFile f : written) {
            String base = f.name().substring(0, f.name().length() - ".cfg".length());
            boolean factory = base.contains("-");
            String pid = factory ? base.substring(0, base.indexOf('-')) : base;
            if (pid.equals(LOG_ADMIN)) {
                f.keys().stream().filter(k -> !LOG_LEVELS.contains(f.get(k)))
                    .forEach(k -> problems.add(f.name() + ": " + k + " = " + f.get(k) + " is not a log level"));
                continue;
            }
            if (pid.equals(FELIX_HTTP)) {
                byte[] reader = felixHttpConfigClass();
                f.keys().stream().filter(k -> !declaresString(reader, k))
                    .forEach(k -> problems.add(f.name() + ": Felix HTTP does not read " + k));
                continue;
            }
            BundleMetatype.Designation d = metatype.designation(pid);
            if (d == null) {
                problems.add(f.name() + ": no bundle designates the " + (factory ? "factory " : "") + "PID " + pid);
            } else if (d.factory() != factory) {
                problems.add(f.name() + ": " + pid + " is " + (d.factory() ? "a factory PID (<pid>-<name>.cfg)"
                    : "a single PID (<pid>.cfg)") + " in " + d.source());
            } else {
                f.keys().stream().filter(k -> !d.keys().contains(k)).forEach(k -> problems.add(f.name() + ": "
                    + k + " is not an attribute of " + pid + " in " + d.source() + " (it has " + new TreeSet<>(
                    d.keys()) + ")"));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theConversionsHereWriteEveryKeyTheMigrationCodeNames() throws IOException {
        Set<String> seen = new HashSet<>();
        written.forEach(f -> seen.addAll(f.keys()));
        Set<String> named = new TreeSet<>();
        Pattern literal = Pattern.compile("\\.(?:set|suggest)\\(\"([^\"]+)\"");
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/opsd/launcher/migrate"))) {
            for (Path source : sources.toList()) {
                Matcher m = literal.matcher(Files.readString(source));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertTrue(named.size() > 20, "the migration code was not found: " + named);
        named.removeAll(seen);
        assertEquals(Set.of(), named, "keys the migration code writes that the YAML of this test never makes it"
            + " write, so the test above does not check them: extend MORE");
    }

    private static byte[] felixHttpConfigClass() throws IOException {
        try (InputStream in = MigrationMetatypeTest.class.getClassLoader().getResourceAsStream(FELIX_HTTP_CONFIG)) {
            assertNotNull(in, FELIX_HTTP_CONFIG + " is not on the test class path (org.apache.felix.http.jetty12)");
            return in.readAllBytes();
        }
    }

    /** Whether the class file's constant pool holds {@code value} whole (CONSTANT_Utf8: 1, length, bytes). */
    private static boolean declaresString(byte[] classFile, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] entry = new byte[utf8.length + 3];
        entry[0] = 1;
        entry[1] = (byte) (utf8.length >> 8);
        entry[2] = (byte) utf8.length;
        System.arraycopy(utf8, 0, entry, 3, utf8.length);
        outer:
        for (int i = 0; i + entry.length <= classFile.length; i++) {
            for (int j = 0; j < entry.length; j++) {
                if (classFile[i + j] != entry[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
