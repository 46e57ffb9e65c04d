package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code java -jar opsd.jar cds} writes a class data archive from a training node of its own, and a node started
 * with {@code -XX:SharedArchiveFile} maps its bundles' classes from it (the JVM log names the archive as the source)
 * and works as usual. The training leaves nothing behind in the home but the archive.
 */
class CdsArchiveIT {

    @Test
    void theArchiveIsWrittenAndANodeStartedWithItMapsItsBundlesClasses() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("cds")) {
            Path output = node.home.resolve("cds.out");
            Process cds = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-jar", System.getProperty("opsd.jar"), "cds", "--home",
                node.home.toString()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(cds.waitFor(180, TimeUnit.SECONDS), "cds did not finish within 180 s");
            String said = Files.readString(output);
            assertEquals(0, cds.exitValue(), said);
            Path archive = node.dataFile("cds/opsd.jsa");
            assertTrue(said.contains("wrote " + archive), said);
            assertTrue(Files.size(archive) > 1 << 20, "archive of " + Files.size(archive) + " bytes");
            try (Stream<Path> left = Files.list(archive.getParent())) {
                assertEquals(List.of(archive), left.toList(), "the training home and partial files are gone");
            }

            Path classLog = node.home.resolve("class-load.log");
            node.startWithJvmOptions("-Xmx128m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info:file=" + classLog);
            node.awaitReady();
            assertEquals(200, node.status("/metrics"));
            long fromArchive;
            long bundleClassesFromArchive;
            try (Stream<String> lines = Files.lines(classLog)) {
                List<String> shared = lines.filter(l -> l.contains("source: shared objects file (top)")).toList();
                fromArchive = shared.size();
                bundleClassesFromArchive = shared.stream()
                    .filter(l -> l.contains(" io.opsd.heartbeat.") || l.contains(" org.eclipse.jetty.")).count();
            }
            assertTrue(fromArchive > 2000, fromArchive + " classes from the archive");
            assertTrue(bundleClassesFromArchive > 100, bundleClassesFromArchive
                + " classes of the heartbeat and Jetty bundles from the archive");
            assertEquals(0, node.terminate(Duration.ofSeconds(40)));
            assertTrue(!node.output().contains("Unable to use shared archive"), node.output());
        }
    }
}
