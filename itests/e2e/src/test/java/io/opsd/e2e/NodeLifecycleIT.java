package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.opsd.testing.Http;

class NodeLifecycleIT {

    /** The stop budget of this skeleton (issue 3): SIGTERM to exit in 5 s. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(5);
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|Exception in thread");

    @Test
    void startsReadyAndHealthyThenSigtermStopsInOrderWithExitZero() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("lifecycle")) {
            node.start();
            node.awaitReady();
            Http.Response ready = node.get("/ready");
            assertTrue(ready.contentType().startsWith("application/json"), ready.contentType());
            assertTrue(NodeProcess.json(ready).get("ready").asBoolean(), ready.body());

            Http.Response health = node.get("/health");
            assertEquals(200, health.status());
            assertEquals(Files.readString(node.dataFile("node_id")), NodeProcess.json(health).get("node_id").asText());
            assertEquals(Long.toString(node.process().pid()), Files.readString(node.dataFile("opsd.pid")),
                "the PID file holds the PID with no newline");

            assertEquals(0, node.terminate(STOP_LIMIT));
            assertFalse(Files.exists(node.dataFile("opsd.pid")), "the PID file is removed");
            assertTrue(node.output().contains("SIGTERM: stopping opsd"), node.output());
            assertTrue(node.output().contains("opsd stopped"), node.output());
            assertFalse(STACK_TRACE.matcher(node.output()).find(), "no stack trace on the console:\n" + node.output());
            assertFalse(STACK_TRACE.matcher(node.log()).find(), "no stack trace in logs/opsd.log:\n" + node.log());
        }
    }

    /**
     * The old daemon stopped on SIGQUIT; opsd cannot (HotSpot keeps SIGQUIT for itself, and -Xrs would take SIGTERM
     * too: docs/operations.md, signals). It is the JVM's thread dump, which leaves the node serving.
     */
    @Test
    void sigquitPrintsTheJvmThreadDumpAndTheNodeServesOnUntilSigterm() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("sigquit")) {
            node.start();
            node.awaitReady();
            node.signal("QUIT");
            NodeProcess.await(Duration.ofSeconds(10), () -> node.output().contains("Full thread dump"),
                () -> "no thread dump:\n" + node.output());
            assertTrue(node.process().isAlive());
            assertEquals(200, node.status("/ready"));
            assertFalse(Pattern.compile("(?m)^\\S+ (ERROR|WARN) ").matcher(node.log()).find(), node.log());

            assertEquals(0, node.terminate(STOP_LIMIT));
            assertFalse(Files.exists(node.dataFile("opsd.pid")), "the PID file is removed");
        }
    }

    @Test
    void theConsoleSaysOnceWhereTheReadyNodeListensAndLeavesTheStartUpChatterToTheLog() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("first-screen")) {
            node.start();
            node.awaitReady();
            NodeProcess.await(Duration.ofSeconds(10), () -> node.output().contains(" ready in "),
                () -> "no ready line:\n" + node.output());
            String ready = node.output().lines().filter(l -> l.contains(" ready in ")).findFirst().orElseThrow();
            assertTrue(Pattern.compile("opsd \\S+ ready in \\d+\\.\\d s: http 127\\.0\\.0\\.1:" + node.httpPort
                + ", grpc 127\\.0\\.0\\.1:" + node.grpcPort + ", home " + Pattern.quote(node.home.toString())
                + ", config " + Pattern.quote(node.home.resolve("runtime-config").toString()) + "$").matcher(ready)
                .find(), ready);
            assertEquals(1, node.output().lines().filter(l -> l.contains(" ready in ")).count(), node.output());

            // FileInstall, SCR and Jetty write to the log file, not to the console
            for (String chatter : List.of("Creating configuration", "org.apache.felix.scr", "Started Jetty",
                "jetty-12", "ServerConnector")) {
                assertFalse(node.output().contains(chatter), chatter + " on the console:\n" + node.output());
            }
            String log = node.log();
            // every file's, whichever FileInstall reads first (the log levels' file among them)
            long files;
            try (var cfgs = Files.list(node.home.resolve("runtime-config"))) {
                files = cfgs.filter(f -> f.toString().endsWith(".cfg")).count();
            }
            assertEquals(files, log.lines().filter(l -> l.contains("Creating configuration")).count(), log);
            assertTrue(log.contains(ready.substring(ready.indexOf("opsd "))), "the ready line is in the log too");
            // the HTTP server starts once, on the configured port, not on defaults and then again
            assertEquals(1, log.lines().filter(l -> l.contains("Started Jetty")).count(), log);
            assertEquals(0, log.lines().filter(l -> l.contains("Stopped Jetty")).count(), log);
            assertEquals(0, node.terminate(STOP_LIMIT));
        }
    }

    @Test
    void anOperatorsLogbackXmlInTheConfigDirectoryReplacesTheDefaultLogging() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("own-logback")) {
            Files.writeString(node.configFile("logback.xml"), """
                <configuration>
                  <appender name="MINE" class="ch.qos.logback.core.FileAppender">
                    <file>${opsd.log.dir}/mine.log</file>
                    <encoder><pattern>MINE %level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="MINE"/></root>
                </configuration>
                """, StandardCharsets.UTF_8);
            node.start();
            node.awaitReady();
            Path mine = node.home.resolve("logs/mine.log");
            NodeProcess.await(Duration.ofSeconds(10), () -> readOrEmpty(mine).contains(" ready in "),
                () -> "no ready line in " + mine);
            String lines = Files.readString(mine);
            assertTrue(lines.lines().filter(l -> l.contains(" - ")).allMatch(l -> l.startsWith("MINE ")), lines);
            assertFalse(Files.exists(node.home.resolve("logs/opsd.log")), "the default file appender stays unused");
            assertEquals(0, node.terminate(STOP_LIMIT));
        }
    }

    @Test
    void aSecondNodeOnTheSameHomeRefusesToStartAndTheFirstKeepsRunning() throws Exception {
        try (NodeProcess first = NodeProcess.newHome("twice")) {
            first.start();
            first.awaitReady();
            String pid = Files.readString(first.dataFile("opsd.pid"));
            Process second = first.start();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second node gives up at once");
            assertEquals(4, second.exitValue(), first.output());
            assertTrue(first.output().contains("another opsd is running with the PID file " + first.dataFile("opsd.pid")
                + " (pid " + pid + ")"), first.output());
            assertEquals(pid, Files.readString(first.dataFile("opsd.pid")), "the running node's PID file is kept");
        }
    }

    @Test
    void aStalePidFileLeftByACrashDoesNotBlockTheStart() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("stale")) {
            Process gone = new ProcessBuilder("true").start();
            assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
            Files.createDirectories(node.dataFile("."));
            Files.writeString(node.dataFile("opsd.pid"), Long.toString(gone.pid()));
            Files.writeString(node.dataFile("opsd.pid.lock"), "");

            node.start();
            node.awaitReady();
            assertTrue(node.output().contains("replaced the stale PID file"), node.output());
            assertEquals(Long.toString(node.process().pid()), Files.readString(node.dataFile("opsd.pid")));
        }
    }

    @Test
    void theNodeIdSurvivesRestartsAndAConfiguredIdWins() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("nodeid")) {
            node.start();
            node.awaitReady();
            String generated = NodeProcess.json(node.get("/health")).get("node_id").asText();
            assertEquals(generated, Files.readString(node.dataFile("node_id")));
            assertEquals(0, node.terminate(STOP_LIMIT));

            node.start();
            node.awaitReady();
            assertEquals(generated, NodeProcess.json(node.get("/health")).get("node_id").asText(),
                "same id after a restart");
            assertEquals(0, node.terminate(STOP_LIMIT));

            Path cfg = node.configFile("io.opsd.node.cfg");
            Files.writeString(cfg, Files.readString(cfg) + "\nid = edge-e2e-7\n");
            node.start();
            node.awaitReady();
            assertEquals("edge-e2e-7", NodeProcess.json(node.get("/health")).get("node_id").asText());
            assertEquals("edge-e2e-7", Files.readString(node.dataFile("node_id")));
        }
    }

    @Test
    void configurationFilesAreByteIdenticalAfterStartReconfigurationReloadAndStop() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("readonly")) {
            Map<String, byte[]> expected = snapshot(node.home.resolve("runtime-config"));
            node.start();
            node.awaitReady();

            Path cfg = node.configFile("io.opsd.node.cfg");
            String edited = Files.readString(cfg) + "\nlabels = site=e2e\n";
            NodeProcess.writeAtomically(cfg, edited);
            expected.put("io.opsd.node.cfg", edited.getBytes(StandardCharsets.UTF_8));
            NodeProcess.await(Duration.ofSeconds(20), () -> labels(node).equals("{\"site\":\"e2e\"}"),
                () -> "labels are " + labels(node));

            node.signal("HUP");
            NodeProcess.await(Duration.ofSeconds(20), () -> node.output().contains("SIGHUP: re-reading"),
                node::output);
            NodeProcess.await(Duration.ofSeconds(20), () -> node.status("/ready") == 200, node::output);
            assertEquals("{\"site\":\"e2e\"}", labels(node), "a reload keeps the configuration");

            assertEquals(0, node.terminate(STOP_LIMIT));
            Map<String, byte[]> after = snapshot(node.home.resolve("runtime-config"));
            assertEquals(expected.keySet(), after.keySet(), "no file added or removed");
            for (String name : expected.keySet()) {
                assertTrue(java.util.Arrays.equals(expected.get(name), after.get(name)), name + " was rewritten");
            }
        }
    }

    @Test
    void theCommandLineAnswersVersionHelpAndRejectsWhatItDoesNotKnow() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("opsd.e2e.dir", "target/e2e")));
        NodeProcess.Result version = NodeProcess.run(dir, "--version");
        assertEquals(0, version.exitCode());
        assertEquals("opsd " + System.getProperty("opsd.version"), version.output().trim());

        NodeProcess.Result help = NodeProcess.run(dir, "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.output().startsWith("Usage: java [JVM options] -jar opsd.jar"), help.output());

        NodeProcess.Result oldVersion = NodeProcess.run(dir, "-version");
        assertEquals(0, oldVersion.exitCode());
        assertEquals(version.output(), oldVersion.output());

        NodeProcess.Result oldConfig = NodeProcess.run(dir, "-config", "/etc/daemon/daemon.yaml");
        assertEquals(2, oldConfig.exitCode(), oldConfig.output());
        assertTrue(oldConfig.output().contains("java -jar opsd.jar import-config /etc/daemon/daemon.yaml --out DIR"),
            oldConfig.output());
        assertTrue(oldConfig.output().contains("docs/install.md#moving-from-the-old-daemon"), oldConfig.output());

        NodeProcess.Result unknown = NodeProcess.run(dir, "--frobnicate");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.output().contains("opsd: unknown option --frobnicate"), unknown.output());
    }

    @Test
    void aDataPathThatIsNotADirectoryStopsTheStartWithAMessageNamingIt() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("baddir")) {
            Files.writeString(node.home.resolve("data"), "not a directory");
            Process p = node.start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, p.exitValue(), node.output());
            assertTrue(node.output().contains("cannot use the data directory (opsd.data.dir) " + node.home.resolve("data")
                + ": it is not a directory"), node.output());
        }
    }

    private static String labels(NodeProcess node) {
        try {
            JsonNode labels = NodeProcess.json(node.get("/health")).get("labels");
            return labels == null ? "" : labels.toString();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Map<String, byte[]> snapshot(Path dir) throws java.io.IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
