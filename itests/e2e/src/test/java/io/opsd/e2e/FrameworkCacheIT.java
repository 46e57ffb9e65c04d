package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The launcher keeps the framework cache between starts: a restart with the same bundles installs nothing again,
 * and a bundle whose jar changed is replaced, the rest kept.
 */
class FrameworkCacheIT {

    @Test
    void aRestartReusesTheCacheAndAChangedBundleIsReplaced() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("cache")) {
            Path bundles = Files.createDirectories(node.home.resolve("bundles"));
            try (JarFile jar = new JarFile(System.getProperty("opsd.jar"))) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().startsWith("bundles/") && entry.getName().endsWith(".jar")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            Files.copy(in, bundles.resolve(entry.getName().substring(8)));
                        }
                    }
                }
            }
            String override = "-Dopsd.launcher.bundles=" + bundles;
            startStop(node, override);
            Set<String> first = cached(node);
            assertTrue(first.size() > 40, "bundles in the cache: " + first);

            startStop(node, override);
            assertEquals(first, cached(node), "a restart with the same jars installs nothing again");

            Path heartbeat;
            try (Stream<Path> jars = Files.list(bundles)) {
                heartbeat = jars.filter(p -> p.getFileName().toString().startsWith("io.opsd.heartbeat-"))
                    .findFirst().orElseThrow();
            }
            Files.setLastModifiedTime(heartbeat, FileTime.from(Instant.now().plusSeconds(60)));
            startStop(node, override);
            Set<String> third = cached(node);
            Set<String> added = new TreeSet<>(third);
            added.removeAll(first);
            Set<String> removed = new TreeSet<>(first);
            removed.removeAll(third);
            assertEquals(1, added.size(), "one bundle installed anew: " + added);
            assertEquals(1, removed.size(), "and the one it replaces uninstalled: " + removed);
            assertFalse(node.output().contains("cannot be used"), node.output());
        }
    }

    /** A start and an orderly stop, reading the bundles from the directory the system property names. */
    private static void startStop(NodeProcess node, String systemProperty) throws Exception {
        node.startWithJvmOptions(systemProperty);
        node.awaitReady();
        assertEquals(200, node.status("/ready"));
        assertEquals(0, node.terminate(Duration.ofSeconds(20)));
    }

    private static Object inode(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return "?";
        }
    }

    private static Set<String> cached(NodeProcess node) throws IOException {
        try (Stream<Path> dirs = Files.list(node.home.resolve("data/cache"))) {
            // name and inode: a directory made anew (a cleaned cache) has the same name but another inode
            return dirs.filter(p -> p.getFileName().toString().matches("bundle[1-9]\\d*"))
                .map(p -> p.getFileName() + "@" + inode(p)).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
