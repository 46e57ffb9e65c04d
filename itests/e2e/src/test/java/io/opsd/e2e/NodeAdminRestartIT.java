package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.opsd.grpc.admin.Bundle;
import io.opsd.grpc.admin.Configuration;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.client.InstallBundleCall;

/**
 * What NodeAdmin changed outlives opsd: a bundle installed through it and the admin configuration layer are there
 * again after a restart, and after a restart with the framework cache deleted (the admin bundle installs its stored
 * jar again and ConfigAdmin gets the admin layer again). The operator's file is never written.
 */
class NodeAdminRestartIT {

    private static final String EXAMPLE = "io.opsd.example.filehandles";
    private static final String CPU = "io.opsd.collector.cpu";
    private static final Duration STOP = Duration.ofSeconds(30);

    @Test
    void theInstalledBundleAndTheAdminLayerSurviveARestartAndTheLossOfTheFrameworkCache() throws Exception {
        byte[] example = Files.readAllBytes(Path.of(System.getProperty("opsd.example.filehandles")));
        KeyPair key = AdminClient.newKey();
        try (NodeProcess node = NodeProcess.newHome("admin-restart")) {
            AdminClient.enable(node, key);
            byte[] cpuFile = Files.readAllBytes(node.configFile(CPU + ".cfg"));
            node.start();
            node.awaitReady();
            try (AdminClient admin = AdminClient.to(node, key)) {
                admin.install("example.jar", example);
                assertTrue(admin.blocking.updateConfiguration(UpdateConfigurationRequest.newBuilder().setPid(CPU)
                    .putSet("interval", "7s").build()).getApplied());
            }
            assertSurvived(node, key, example, "before any restart");

            assertEquals(0, node.terminate(STOP));
            node.start();
            node.awaitReady();
            assertSurvived(node, key, example, "after a restart");

            assertEquals(0, node.terminate(STOP));
            deleteTree(node.home.resolve("data/cache"));
            node.start();
            node.awaitReady();
            assertSurvived(node, key, example, "after a restart without the framework cache");
            assertArrayEquals(cpuFile, Files.readAllBytes(node.configFile(CPU + ".cfg")), "the operator's file");
        }
    }

    private static void assertSurvived(NodeProcess node, KeyPair key, byte[] example, String when) throws Exception {
        String sha = InstallBundleCall.sha256(example);
        try (AdminClient admin = AdminClient.to(node, key)) {
            // the admin bundle puts a lost bundle back on its own thread, after /ready: wait for it, bounded
            Bundle[] seen = {null};
            NodeProcess.await(Duration.ofSeconds(30), () -> {
                seen[0] = admin.blocking.listBundles(ListBundlesRequest.getDefaultInstance()).getBundlesList().stream()
                    .filter(b -> b.getSymbolicName().equals(EXAMPLE)).findFirst().orElse(null);
                return seen[0] != null && seen[0].getState().equals("ACTIVE");
            }, () -> when + ": the example is " + seen[0]);
            assertEquals("admin", seen[0].getOrigin(), when);
            assertEquals(sha, seen[0].getSha256(), when);
            Configuration cpu = admin.blocking.listConfigurations(ListConfigurationsRequest.newBuilder()
                .setPidPrefix(CPU).build()).getConfigurationsList().stream().filter(c -> c.getPid().equals(CPU))
                .findFirst().orElseThrow();
            assertEquals("file+admin", cpu.getSource(), when + ": " + cpu);
            assertEquals("7s", cpu.getPropertiesMap().get("interval"), when + ": " + cpu);
        }
        NodeProcess.await(Duration.ofSeconds(30), () -> node.bodyOrError("/metrics").contains("opsd_filehandles_")
            && cpuInterval(node) == 7.0,
            () -> when + ": /metrics lacks the example's series or the cpu interval of 7 s");
    }

    private static double cpuInterval(NodeProcess node) {
        String prefix = "opsd_collector_interval_seconds{collector=\"cpu\"} ";
        return node.bodyOrError("/metrics").lines().filter(l -> l.startsWith(prefix))
            .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(-1);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
