package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.opsd.testing.Http;

/**
 * A hot-deployed collector bundle whose component throws in its activate constructor (the fixture
 * {@code io.opsd.itest.brokencollector}). The node keeps running and answering, the five shipped collectors keep
 * collecting and publishing on /metrics, /ready answers 503 naming the bundle, the component and the exception, the
 * log names them too, and deleting the jar makes the node ready again without a restart. Bounded: one deploy, one
 * removal, every wait 40 s at most.
 */
class CollectorActivateFaultIT {

    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final String BUNDLE = "io.opsd.itest.brokencollector";
    private static final String COMPONENT = BUNDLE + ".internal.BrokenCollector";
    private static final String FAILURE = "broken collector fixture: the sensor it reads is missing";
    private static final List<String> SHIPPED = List.of("cpu", "disk", "load", "memory", "network");
    private static final Pattern COLLECTIONS = Pattern.compile(
        "(?m)^opsd_collector_collections_total\\{collector=\"([a-z_]+)\"} ([0-9.Ee+]+)$");

    @Test
    void aCollectorThatThrowsInActivateIsReportedAndTheOthersCollectOn() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("collector-fault")) {
            for (String collector : SHIPPED) {
                Path cfg = node.configFile("io.opsd.collector." + collector + ".cfg");
                Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^#interval\\s*=.*$", "interval = 1s"));
            }
            node.start();
            node.awaitReady();
            Path deploy = Files.createDirectories(node.home.resolve("deploy"));
            Path jar = deploy.resolve("brokencollector.jar");
            // copied under another name and renamed into place, so FileInstall never sees half a jar
            Path partial = deploy.resolve("brokencollector.jar.partial");
            Files.copy(Path.of(System.getProperty("opsd.fixture.brokencollector")), partial);
            Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);

            // one answer of /ready is read and checked whole: the engine may ask SCR for the service again, and
            // between two reads the component can be activating anew
            Http.Response[] ready = {null};
            NodeProcess.await(LIMIT, () -> brokenEntry(ready[0] = readyOrNull(node)) != null,
                () -> "/ready never listed " + COMPONENT + ": " + node.bodyOrError("/ready") + "\nlog:\n" + tail(node));
            JsonNode entry = brokenEntry(ready[0]);
            assertEquals(503, ready[0].status(), "an opsd bundle whose component failed makes the node unready");
            assertEquals("failed activation", entry.path("state").asText(), entry.toString());
            // the detail is the root cause of SCR's failure, not the reflective wrapper of the activate constructor
            assertEquals("java.lang.IllegalStateException: " + FAILURE, entry.path("detail").asText(),
                "/ready gives the cause: " + entry);
            assertEquals(1, NodeProcess.json(ready[0]).path("not_ready").size(),
                "nothing else is unready: " + ready[0].body());

            String log = node.log();
            assertTrue(log.contains("bundle " + BUNDLE) && log.contains(COMPONENT)
                && log.contains("IllegalStateException: " + FAILURE),
                "the log names the bundle, the component and the cause:\n" + tail(node));
            assertTrue(node.process().isAlive(), "the node is still running");
            assertEquals(200, node.status("/health"));

            // the shipped collectors collect on: every one of them counts new collections after the failure
            Map<String, Double> before = collections(node);
            assertTrue(before.keySet().containsAll(SHIPPED), "/metrics has every shipped collector: " + before);
            assertFalse(before.containsKey("broken"), "the broken collector was never scheduled");
            NodeProcess.await(LIMIT, () -> {
                Map<String, Double> now = collections(node);
                return SHIPPED.stream().allMatch(c -> now.getOrDefault(c, 0.0) > before.get(c));
            }, () -> "collections did not go on: before " + before + ", now " + collections(node));
            String metrics = node.get("/metrics").body();
            for (String collector : SHIPPED) {
                assertTrue(metrics.contains("opsd_collector_stale{collector=\"" + collector + "\"} 0"),
                    collector + " is fresh");
                assertTrue(metrics.contains("\nopsd_" + collector + "_"), collector + " publishes its series");
            }

            Files.delete(jar);
            NodeProcess.await(LIMIT, () -> node.status("/ready") == 200, () -> "/ready after the jar was deleted: "
                + node.bodyOrError("/ready"));
            assertTrue(NodeProcess.json(node.get("/ready")).path("not_ready").isEmpty(), node.bodyOrError("/ready"));
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), "an orderly stop after all this");
        }
    }

    /** The not_ready entry of the broken component, or null. */
    private static Http.Response readyOrNull(NodeProcess node) {
        try {
            return node.get("/ready");
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode brokenEntry(Http.Response ready) {
        if (ready == null) {
            return null;
        }
        try {
            for (JsonNode entry : NodeProcess.json(ready).path("not_ready")) {
                if (BUNDLE.equals(entry.path("bundle").asText()) && COMPONENT.equals(entry.path("component")
                    .asText())) {
                    return entry;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, Double> collections(NodeProcess node) {
        Map<String, Double> counts = new HashMap<>();
        try {
            Matcher m = COLLECTIONS.matcher(node.get("/metrics").body());
            while (m.find()) {
                counts.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        } catch (IOException e) {
            // an empty map: the caller's wait goes on or reports it
        }
        return counts;
    }

    private static String tail(NodeProcess node) {
        try {
            String log = node.log();
            return log.substring(Math.max(0, log.length() - 3000));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
