package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.opsd.grpc.admin.Configuration;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.client.InstallBundleCall;

/**
 * Design/node-admin.md §3 on three nodes of this machine and the Manager simulator they register with: the simulator
 * pushes the example collector, signed, to every node; then a broken version of it (its activate throws), which
 * every node refuses and rolls back; then a collector's interval. {@code /ready} of every node is polled every
 * 100 ms throughout and must never leave 200; the operator's files are never written.
 */
class NodeAdminFleetIT {

    private static final String EXAMPLE = "io.opsd.example.filehandles";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void theSimulatorPushesABundleABrokenOneAndAConfigurationChangeToThreeNodes() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("opsd.e2e.dir", "target/e2e")))
            .resolve("fleet-" + System.nanoTime());
        Files.createDirectories(work);
        KeyPair key = AdminClient.newKey();
        byte[] good = Files.readAllBytes(Path.of(System.getProperty("opsd.example.filehandles")));
        byte[] broken = Files.readAllBytes(Path.of(System.getProperty("opsd.fixture.filehandles.broken")));
        Path goodJar = write(work.resolve("example.jar"), good);
        Path brokenJar = write(work.resolve("example-broken.jar"), broken);
        List<NodeProcess> nodes = new ArrayList<>();
        ConcurrentLinkedQueue<String> notReady = new ConcurrentLinkedQueue<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        try (ManagerSimulatorProcess manager = ManagerSimulatorProcess.start()) {
            for (int i = 0; i < 3; i++) {
                NodeProcess node = NodeProcess.newHome("fleet" + i);
                AdminClient.enable(node, key);
                Files.writeString(node.configFile("io.opsd.manager.cfg"), "address = " + manager.address()
                    + "\nheartbeat_interval = 2s\n");
                Files.writeString(node.configFile("io.opsd.node.cfg"), "advertise_address = 127.0.0.1\n");
                // the example's own file, read once the bundle arrives: collections every second show it runs
                Files.writeString(node.configFile("io.opsd.example.filehandles.cfg"), "interval = 1s\n");
                nodes.add(node);
                node.start();
            }
            for (NodeProcess node : nodes) {
                node.awaitReady();
            }
            NodeProcess.await(LIMIT, () -> registered(manager) == 3, () -> "3 nodes never registered");
            Map<NodeProcess, byte[]> cpuFiles = new java.util.HashMap<>();
            for (NodeProcess node : nodes) {
                cpuFiles.put(node, Files.readAllBytes(node.configFile("io.opsd.collector.cpu.cfg")));
            }
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    for (NodeProcess node : nodes) {
                        int status = node.status("/ready");
                        if (status != 200) {
                            notReady.add(node.home.getFileName() + ": " + status);
                        }
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(100); // the poll period the acceptance names
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "ready-poller");
            poller.start();

            // 1. the example, signed: every node installs it and publishes its series within 2 s of its answer.
            // The calls start together after pushStart, so pushStart + millis is no later than a node's answer.
            long pushStart = System.nanoTime();
            JsonNode installs = manager.push(Map.of("admin_token", AdminClient.TOKEN, "bundle", goodJar.toString(),
                "signature", write(work.resolve("example.jar.sig"), sign(key, good)).toString()));
            System.out.println("fleet push, signed example: " + installs);
            assertEquals(3, installs.size(), installs.toString());
            Map<String, Long> answeredBy = new java.util.HashMap<>();
            for (JsonNode outcome : installs) {
                assertTrue(outcome.path("ok").asBoolean(), outcome.toString());
                assertEquals(EXAMPLE, outcome.path("symbolic_name").asText(), outcome.toString());
                assertEquals("ACTIVE", outcome.path("state").asText(), outcome.toString());
                answeredBy.put(outcome.path("target").asText(),
                    pushStart + TimeUnit.MILLISECONDS.toNanos(outcome.path("millis").asLong()));
            }
            Map<NodeProcess, Long> publishedAt = new java.util.HashMap<>();
            NodeProcess.await(Duration.ofSeconds(10), () -> {
                for (NodeProcess node : nodes) {
                    if (!publishedAt.containsKey(node) && node.bodyOrError("/metrics").contains("opsd_filehandles_")) {
                        publishedAt.put(node, System.nanoTime());
                    }
                }
                return publishedAt.size() == nodes.size();
            }, () -> "not every node publishes the example's series: " + publishedAt.keySet());
            for (NodeProcess node : nodes) {
                long answered = answeredBy.get("127.0.0.1:" + node.grpcPort);
                long after = TimeUnit.NANOSECONDS.toMillis(publishedAt.get(node) - answered);
                System.out.println(node.home.getFileName() + ": series " + after + " ms after its answer");
                assertTrue(after <= 2_000, node.home + " published its series " + after + " ms after its answer");
            }

            // 2. the broken version: refused with its cause, the previous version runs again
            JsonNode refusals = manager.push(Map.of("admin_token", AdminClient.TOKEN, "bundle", brokenJar.toString(),
                "signature", write(work.resolve("example-broken.jar.sig"), sign(key, broken)).toString()));
            System.out.println("fleet push, broken version: " + refusals);
            assertEquals(3, refusals.size(), refusals.toString());
            for (JsonNode outcome : refusals) {
                assertEquals("FAILED_PRECONDITION", outcome.path("code").asText(), outcome.toString());
                assertTrue(outcome.path("description").asText().contains("refuses to start"), outcome.toString());
            }
            for (NodeProcess node : nodes) {
                try (AdminClient admin = AdminClient.to(node, key)) {
                    var example = admin.blocking.listBundles(ListBundlesRequest.getDefaultInstance()).getBundlesList()
                        .stream().filter(b -> b.getSymbolicName().equals(EXAMPLE)).findFirst().orElseThrow();
                    assertEquals("ACTIVE", example.getState(), example.toString());
                    assertEquals(InstallBundleCall.sha256(good), example.getSha256(), "the previous version is back");
                }
                long before = collections(node);
                NodeProcess.await(Duration.ofSeconds(10), () -> collections(node) > before,
                    () -> node.home + ": the example stopped publishing after the rollback");
            }

            // 3. a collector's interval: applied on each (with the time it took; its 500 ms budget is benchmarks/admin's
            // to show, not a test's), source file+admin, file untouched
            JsonNode updates = manager.push(Map.of("admin_token", AdminClient.TOKEN, "pid", "io.opsd.collector.cpu",
                "set", Map.of("interval", "7s")));
            System.out.println("fleet push, cpu interval 7s: " + updates);
            assertEquals(3, updates.size(), updates.toString());
            for (JsonNode outcome : updates) {
                assertTrue(outcome.path("ok").asBoolean(), outcome.toString());
                assertTrue(outcome.path("applied").asBoolean(), outcome.toString());
                assertTrue(outcome.path("millis").isIntegralNumber() && outcome.path("millis").asLong() >= 0,
                    "the time it took to apply: " + outcome);
            }
            for (NodeProcess node : nodes) {
                try (AdminClient admin = AdminClient.to(node, key)) {
                    Configuration cpu = admin.blocking.listConfigurations(ListConfigurationsRequest.newBuilder()
                        .setPidPrefix("io.opsd.collector.cpu").build()).getConfigurationsList().stream()
                        .filter(c -> c.getPid().equals("io.opsd.collector.cpu")).findFirst().orElseThrow();
                    assertEquals("file+admin", cpu.getSource(), cpu.toString());
                    assertEquals("7s", cpu.getPropertiesMap().get("interval"), cpu.toString());
                }
                assertArrayEquals(cpuFiles.get(node), Files.readAllBytes(node.configFile("io.opsd.collector.cpu.cfg")),
                    "runtime-config/io.opsd.collector.cpu.cfg was written");
            }
            polling.set(false);
            poller.join(5_000);
            assertEquals(List.of(), List.copyOf(notReady), "/ready left 200");
        } finally {
            polling.set(false);
            for (NodeProcess node : nodes) {
                node.close();
            }
        }
    }

    private static int registered(ManagerSimulatorProcess manager) {
        try {
            return manager.nodes().size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** How many times the example collector has run on {@code node}, from its {@code /metrics}. */
    private static long collections(NodeProcess node) {
        return node.bodyOrError("/metrics").lines()
            .filter(l -> l.startsWith("opsd_collector_collections_total{") && l.contains("collector=\"filehandles\""))
            .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private static byte[] sign(KeyPair key, byte[] bytes) throws Exception {
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(bytes);
        return s.sign();
    }

    private static Path write(Path file, byte[] bytes) throws java.io.IOException {
        Files.write(file, bytes);
        return file;
    }
}
