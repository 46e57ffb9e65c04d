package io.opsd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The bundles to run: the {@code bundles/*.jar} entries packed into opsd.jar, or, for benchmarks and development,
 * the jars of the directory named by {@code -Dopsd.launcher.bundles}.
 */
final class BundleSource {

    /**
     * One bundle jar: its location, and its symbolic name. The location names the content ({@code opsd:} and a
     * fingerprint), so a bundle kept in the framework cache from an earlier start is reused only while the jar is
     * the same; a new opsd.jar brings new locations.
     */
    record Entry(String location, String symbolicName, Opener opener) {
    }

    static final String LOCATION_PREFIX = "opsd:";

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private BundleSource() {
    }

    static List<Entry> list(String overrideDir) throws IOException {
        if (overrideDir != null && !overrideDir.isBlank()) {
            return fromDirectory(Path.of(overrideDir));
        }
        Path self;
        try {
            self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate opsd.jar: " + e.getMessage(), e);
        }
        if (Files.isDirectory(self)) {
            return fromDirectory(self.resolve("bundles"));
        }
        java.util.TreeMap<String, String> fingerprints = new java.util.TreeMap<>();
        try (JarFile jar = new JarFile(self.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.startsWith("bundles/") && name.endsWith(".jar") && name.indexOf('/', 8) < 0) {
                    fingerprints.put(name, Long.toHexString(entry.getCrc()) + "-" + entry.getSize());
                }
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (var named : fingerprints.entrySet()) {
            String name = named.getKey();
            Opener opener = () -> {
                InputStream in = Main.class.getResourceAsStream("/" + name);
                if (in == null) {
                    throw new IOException("missing " + name + " in " + self);
                }
                return in;
            };
            entries.add(new Entry(LOCATION_PREFIX + name + "#" + named.getValue(), symbolicName(opener, name), opener));
        }
        return entries;
    }

    private static List<Entry> fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no bundle directory " + dir);
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                Opener opener = () -> Files.newInputStream(jar);
                String fingerprint = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
                entries.add(new Entry(LOCATION_PREFIX + jar.toUri() + "#" + fingerprint,
                    symbolicName(opener, jar.toString()), opener));
            }
        }
        return entries;
    }

    private static String symbolicName(Opener opener, String name) throws IOException {
        try (JarInputStream in = new JarInputStream(opener.open())) {
            Manifest manifest = in.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(name + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            int semicolon = bsn.indexOf(';');
            return (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).trim();
        }
    }
}
