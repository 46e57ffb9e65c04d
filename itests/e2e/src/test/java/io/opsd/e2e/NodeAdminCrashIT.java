package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import io.opsd.grpc.client.InstallBundleCall;

/**
 * SIGKILL of opsd in the middle of an install through NodeAdmin: after the restart the bundle is either the old or
 * the new version, complete (the node's reading, its stored jar and the bytes sent agree), never neither, and no
 * half-written file is left. The kill lands at moments spread over a measured install, from "data still arriving"
 * to "components activating".
 */
class NodeAdminCrashIT {

    private static final String EXAMPLE = "io.opsd.example.filehandles";
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int ROUNDS = 4;

    @Test
    void aKilledInstallLeavesTheOldOrTheNewVersionCompleteAndNothingHalfWritten() throws Exception {
        byte[] v1 = Files.readAllBytes(Path.of(System.getProperty("opsd.example.filehandles")));
        byte[] v2 = padded(v1, 2 << 20); // a bigger, different jar of the same bundle: more time to land inside
        Set<String> versions = Set.of(InstallBundleCall.sha256(v1), InstallBundleCall.sha256(v2));
        KeyPair key = AdminClient.newKey();
        try (NodeProcess node = NodeProcess.newHome("admin-crash")) {
            AdminClient.enable(node, key);
            node.start();
            node.awaitReady();
            long installNanos;
            try (AdminClient admin = AdminClient.to(node, key)) {
                admin.install("example-v1.jar", v1);
                long start = System.nanoTime();
                admin.install("example-v2.jar", v2);
                installNanos = System.nanoTime() - start;
            }
            byte[] current = v2;
            for (int round = 0; round < ROUNDS; round++) {
                byte[] next = current == v1 ? v2 : v1;
                long delayNanos = installNanos * round / (ROUNDS - 1);
                try (AdminClient admin = AdminClient.to(node, key)) {
                    CompletableFuture<Void> install = CompletableFuture.runAsync(() -> {
                        try {
                            admin.install("example.jar", next);
                        } catch (Exception refusedOrCut) {
                            // the node dies under the call: no answer is expected
                        }
                    });
                    TimeUnit.NANOSECONDS.sleep(delayNanos); // where the kill lands, not a wait for a condition
                    node.signal("KILL");
                    assertTrue(node.process().waitFor(10, TimeUnit.SECONDS), "opsd survived SIGKILL");
                    install.get(30, TimeUnit.SECONDS);
                }
                node.start();
                node.awaitReady();
                try (AdminClient admin = AdminClient.to(node, key)) {
                    String[] seen = {null};
                    NodeProcess.await(LIMIT, () -> (seen[0] = admin.installedSha(EXAMPLE)) != null
                        && versions.contains(seen[0]), () -> "round " + round(delayNanos) + ": the node reports "
                        + seen[0] + ", neither version; log:\n" + tail(node));
                    Path stored = node.dataFile("admin/bundles/" + EXAMPLE + ".jar");
                    assertEquals(seen[0], InstallBundleCall.sha256(Files.readAllBytes(stored)),
                        "the stored jar is the version the node runs");
                    current = seen[0].equals(InstallBundleCall.sha256(v1)) ? v1 : v2;
                }
                assertEquals(List.of(), leftovers(node.dataFile("admin/incoming")), "half-written uploads left");
                NodeProcess.await(LIMIT, () -> node.bodyOrError("/metrics").contains("opsd_filehandles_"),
                    () -> "the example does not publish after the restart");
            }
        }
    }

    private static String round(long delayNanos) {
        return "kill after " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms";
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static String tail(NodeProcess node) {
        try {
            List<String> lines = node.log().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** {@code jar} with one more entry of {@code size} bytes: the same bundle, other bytes. */
    static byte[] padded(byte[] jar, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("padding.bin"));
            byte[] block = new byte[size];
            new java.util.Random(size).nextBytes(block);
            zip.write(block);
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
