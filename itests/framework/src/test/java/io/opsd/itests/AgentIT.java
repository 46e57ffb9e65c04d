package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.DesiredState;
import io.opsd.testing.Await;

/** The supervisor with real child processes: no mock of the operating system anywhere. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AgentIT {

    private static final Duration LIMIT = Agents.LIMIT;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin cm;

    @InjectService(timeout = 10_000)
    AgentManager agents;

    private AgentStatus op(java.util.concurrent.CompletionStage<AgentStatus> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void startStopAndRestartRealProcesses() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-basic", "sleep 1000", Map.of());
            long pid = a.await("it-basic", AgentState.RUNNING).pid();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertEquals(List.of(pid), Agents.session(pid).subList(0, 1), "the agent leads its own session");

            AgentStatus stopped = op(agents.stop("it-basic"));
            assertEquals(AgentState.STOPPED, stopped.state());
            assertEquals(DesiredState.STOPPED, stopped.desiredState());
            assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive());

            long second = op(agents.start("it-basic")).pid();
            assertNotEquals(pid, second);
            assertEquals(AgentState.RUNNING, agents.agent("it-basic").orElseThrow().state());
            AgentStatus restarted = op(agents.restart("it-basic"));
            assertEquals(AgentState.RUNNING, restarted.state());
            assertNotEquals(second, restarted.pid());
            assertEquals(0, restarted.restartCount(), "manual operations are not restarts");
            assertTrue(Agents.session(second).isEmpty(), "the old process tree is gone");
        }
    }

    @Test
    void anAgentIgnoringSigtermIsKilledAtTheStopTimeoutWithItsWholeTree() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-stubborn", "trap '' TERM; sleep 1000 & while :; do sleep 1; done", Map.of("stop.timeout", "1s"));
            long pid = a.await("it-stubborn", AgentState.RUNNING).pid();
            Await.until(LIMIT, () -> Agents.session(pid).size() >= 3, () -> "tree " + Agents.session(pid));
            long began = System.nanoTime();
            AgentStatus s = op(agents.stop("it-stubborn"));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertEquals(AgentState.STOPPED, s.state());
            assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0, "SIGKILL only after the 1 s timeout: " + took);
            assertEquals("SIGKILL", s.lastExit().orElseThrow().signal().orElseThrow());
            assertEquals(List.of(), Agents.session(pid), "nothing of the tree is left");
        }
    }

    @Test
    void aGrandchildIsStoppedWithTheAgent() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-forker", "sleep 1000 & sleep 1000", Map.of());
            long pid = a.await("it-forker", AgentState.RUNNING).pid();
            Await.until(LIMIT, () -> Agents.session(pid).size() >= 3, () -> "tree " + Agents.session(pid));
            op(agents.stop("it-forker"));
            assertEquals(List.of(), Agents.session(pid), "the process group is empty");
        }
    }

    @Test
    void aCrashLoopBacksOffByTheFormulaAndEndsFailed() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-crash", "exit 3", Map.of("restart.backoff_base", "200ms", "restart.backoff_max", "1s",
                "restart.max_retries", 3));
            AgentStatus failed = a.await("it-crash", AgentState.FAILED);
            assertEquals(3, failed.restartCount());
            assertEquals(3, failed.lastExit().orElseThrow().code().getAsInt());
            List<Instant> starts = a.starts("it-crash");
            assertEquals(4, starts.size(), "1 start + 3 restarts: " + starts);
            long[] backoff = {200, 400, 800}; // min(200ms x 2^(n-1), 1s)
            for (int n = 1; n <= 3; n++) {
                long gap = Duration.between(starts.get(n - 1), starts.get(n)).toMillis();
                assertTrue(gap >= backoff[n - 1] && gap < backoff[n - 1] + 2_000,
                    "restart " + n + " came " + gap + " ms after the previous start; backoff " + backoff[n - 1]);
            }
            assertEquals(AgentState.RUNNING, op(agents.start("it-crash")).state(), "an operator can start it again");
        }
    }

    @Test
    void onFailureAndNeverFollowTheExitCode() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-clean-exit", "exit 0", Map.of("restart.policy", "on-failure", "restart.backoff_base", "100ms"));
            a.shell("it-never", "exit 1", Map.of("restart.policy", "never", "restart.backoff_base", "100ms"));
            a.shell("it-onfail", "exit 1", Map.of("restart.policy", "on-failure", "restart.backoff_base", "100ms",
                "restart.max_retries", 1));
            AgentStatus clean = a.await("it-clean-exit", AgentState.STOPPED);
            Await.until(LIMIT, () -> agents.agent("it-clean-exit").orElseThrow().lastExit().isPresent(), () -> "no exit");
            assertEquals(0, agents.agent("it-clean-exit").orElseThrow().restartCount(), "exit 0: no restart");
            AgentStatus never = a.await("it-never", AgentState.STOPPED);
            Await.until(LIMIT, () -> agents.agent("it-never").orElseThrow().lastExit().isPresent(), () -> "no exit");
            assertEquals(1, agents.agent("it-never").orElseThrow().lastExit().orElseThrow().code().getAsInt());
            assertEquals(0, never.restartCount(), "never: no restart");
            AgentStatus onFail = a.await("it-onfail", AgentState.FAILED);
            assertEquals(1, onFail.restartCount(), "exit 1: restarted up to max_retries");
            assertEquals(clean.desiredState(), DesiredState.RUNNING);
        }
    }

    @Test
    void aManualStopSurvivesARestartOfTheSupervisorBundle() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-persist", "sleep 1000", Map.of());
            a.await("it-persist", AgentState.RUNNING);
            op(agents.stop("it-persist"));
            Path state = Path.of(context.getProperty("opsd.data.dir"), "agents", "it-persist.json");
            Await.until(LIMIT, () -> read(state).contains("\"desired_state\":\"stopped\""),
                () -> "the stop is not on disk: " + read(state));
            Bundle supervisor = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "io.opsd.agent".equals(b.getSymbolicName())).findFirst().orElseThrow();
            supervisor.stop();
            supervisor.start();
            AgentManager again = context.getService(context.getServiceReference(AgentManager.class));
            Await.until(LIMIT, () -> again.agent("it-persist").isPresent(), () -> "not back");
            AgentStatus s = again.agent("it-persist").orElseThrow();
            assertEquals(DesiredState.STOPPED, s.desiredState());
            assertEquals(AgentState.STOPPED, s.state(), "an operator's stop is kept");
            assertEquals(0, s.pid());
        }
    }

    @Test
    void missingHeartbeatsRestartTheAgent() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-heartbeat", "sleep 1000", Map.of("health.heartbeat_timeout", "3s"));
            long pid = a.await("it-heartbeat", AgentState.RUNNING).pid();
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() - until < 0) { // heartbeats every 200 ms for 4 s: longer than the timeout
                assertTrue(agents.heartbeat("it-heartbeat", Instant.now()));
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // the agent's heartbeat interval
            }
            assertEquals(pid, agents.agent("it-heartbeat").orElseThrow().pid(), "heartbeats keep it running");
            Await.until(LIMIT, () -> agents.agent("it-heartbeat").orElseThrow().pid() != pid
                && agents.agent("it-heartbeat").orElseThrow().state() == AgentState.RUNNING, () -> "not restarted");
            assertTrue(agents.agent("it-heartbeat").orElseThrow().lastRestartReason().orElseThrow()
                .contains("no heartbeat"), agents.agent("it-heartbeat").toString());
        }
    }

    @Test
    void anHttpProbeAgainstARealServerDecidesHealth() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("opsd-it-http");
        Path source = dir.resolve("Serve.java");
        Files.writeString(source, """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            public class Serve {
                public static void main(String[] a) throws Exception {
                    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[0])), 0);
                    s.createContext("/ok", x -> { x.sendResponseHeaders(200, -1); x.close(); });
                    s.start();
                }
            }
            """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Agents a = new Agents(context, cm, agents)) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("type", "custom");
            props.put("binary_path", java);
            props.put("args", source + " " + port);
            // the source launcher compiles Serve.java first: under load that took longer than a 1 s interval, and
            // the agent was restarted before it could listen, again and again
            props.put("health.interval", "5s");
            props.put("health.heartbeat_timeout", "disabled");
            props.put("health.http_url", "http://127.0.0.1:" + port + "/ok");
            Configuration c = a.configure("it-http", props);
            a.await("it-http", AgentState.RUNNING);
            Await.until(LIMIT, () -> "healthy".equals(agents.agent("it-http").orElseThrow().health()),
                () -> "health " + agents.agent("it-http"));
            long pid = agents.agent("it-http").orElseThrow().pid();

            props.put("health.http_url", "http://127.0.0.1:" + port + "/missing");
            c.update(props);
            Await.until(LIMIT, () -> agents.agent("it-http").orElseThrow().lastRestartReason().orElse("")
                .contains("HTTP 404"), () -> "status " + agents.agent("it-http"));
            Await.until(LIMIT, () -> a.starts("it-http").size() >= 2, () -> "not restarted");
            var events = a.events("it-http"); // one copy: the list grows while the agent runs
            assertNotEquals(pid, events.get(events.size() - 1).status().pid());
        }
    }

    @Test
    void aCpuBurnerIsRestartedOnlyAfterTheThresholdDuration() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-burn", "while :; do :; done", Map.of("health.cpu_threshold", 50.0,
                "health.threshold_duration", "3s", "restart.backoff_base", "100ms"));
            a.await("it-burn", AgentState.RUNNING);
            Await.until(LIMIT, () -> a.starts("it-burn").size() >= 2, () -> "not restarted");
            List<Instant> starts = a.starts("it-burn");
            Duration ran = Duration.between(starts.get(0), starts.get(1));
            assertTrue(ran.compareTo(Duration.ofSeconds(3)) >= 0, "restarted after " + ran + ", before 3 s over");
            assertTrue(agents.agent("it-burn").orElseThrow().lastRestartReason().orElseThrow().contains("cpu"));
            op(agents.stop("it-burn"));
        }
    }

    @Test
    void anAgentOfAMissingTypeWaitsStartsWhenTheTypeIsDeployedAndStopsWhenItGoes() throws Exception {
        NodeHome home = new NodeHome(context);
        Path deployed = home.deployDir().resolve("io.opsd.itest.agenttype.jar");
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-typed", "sleep 1000", Map.of("type", "itest_type"));
            a.await("it-typed", AgentState.WAITING_FOR_TYPE);
            Path staged = deployed.resolveSibling(".agenttype.staged");
            Files.copy(home.fixture("io.opsd.itest.agenttype"), staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
            long pid = a.await("it-typed", AgentState.RUNNING).pid();
            Files.delete(deployed);
            a.await("it-typed", AgentState.WAITING_FOR_TYPE);
            assertEquals(List.of(), Agents.session(pid), "stopped cleanly when its type went");
        } finally {
            Files.deleteIfExists(deployed);
        }
    }

    @Test
    void editingOneAgentRestartsItOnlyForLaunchSettingsAndNeverTouchesAnother() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            Configuration ca = a.shell("it-edit-a", "sleep 1000", Map.of());
            a.shell("it-edit-b", "sleep 1000", Map.of());
            long pidA = a.await("it-edit-a", AgentState.RUNNING).pid();
            long pidB = a.await("it-edit-b", AgentState.RUNNING).pid();

            Dictionary<String, Object> props = ca.getProperties();
            props.put("health.interval", "2s");
            ca.update(props);
            Await.until(LIMIT, () -> a.events("it-edit-a").size() > 0, () -> "no events");
            props.put("log.max_files", 3);
            ca.update(props);
            // an edit that does not touch the launch is applied in place: observe a later state change of A (its
            // health) and check the pid then
            Await.until(LIMIT, () -> "healthy".equals(agents.agent("it-edit-a").orElseThrow().health()),
                () -> "a " + agents.agent("it-edit-a"));
            assertEquals(pidA, agents.agent("it-edit-a").orElseThrow().pid(), "A kept its process");

            props.put("args", "-c \"sleep 999\"");
            ca.update(props);
            Await.until(LIMIT, () -> agents.agent("it-edit-a").orElseThrow().pid() != pidA
                && agents.agent("it-edit-a").orElseThrow().state() == AgentState.RUNNING, () -> "A not restarted");
            assertEquals(pidB, agents.agent("it-edit-b").orElseThrow().pid(), "B never changes");
            assertTrue(a.starts("it-edit-b").size() == 1, "B started once");
        }
    }

    @Test
    void anAgentWriting50MiBLosesNoLineAcrossRotationsAndKeepsTheRotatedFilesCompressedAndBounded() throws Exception {
        Path logs = Path.of(context.getProperty("opsd.log.dir"), "agents", "it-biglog");
        if (Files.exists(logs)) {
            try (var old = Files.list(logs)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        }
        int lines = 7_000_000; // about 55 MB of "1\n" ... "7000000\n"
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-biglog", "seq 1 " + lines, Map.of("restart.policy", "never", "log.max_size", "8MiB",
                "log.max_files", 20, "log.compress", true));
            Await.until(Duration.ofSeconds(120), () -> agents.agent("it-biglog").map(s -> s.state() == AgentState.STOPPED
                && s.lastExit().isPresent()).orElse(false), () -> "still writing: " + agents.agent("it-biglog"));
            assertEquals(0, agents.agent("it-biglog").orElseThrow().lastExit().orElseThrow().code().getAsInt());
            // the gzip of the last rotation may still be running
            Await.until(LIMIT, () -> {
                try (var files = Files.list(logs)) {
                    return files.noneMatch(f -> f.getFileName().toString().matches("agent\\.log\\.\\d+(\\.gz\\.tmp)?"));
                } catch (java.io.IOException e) {
                    return false;
                }
            }, () -> "compression unfinished in " + logs);
            List<Path> rotated;
            try (var files = Files.list(logs)) {
                rotated = files.filter(f -> f.getFileName().toString().matches("agent\\.log\\.\\d+\\.gz"))
                    .sorted(java.util.Comparator.comparingInt((Path f) -> Integer.parseInt(
                        f.getFileName().toString().replaceAll("\\D", ""))).reversed()).toList();
            }
            assertTrue(rotated.size() >= 5 && rotated.size() <= 20, "rotated files: " + rotated);
            long expected = 1;
            for (Path f : rotated) {
                expected = checkLines(new java.util.zip.GZIPInputStream(Files.newInputStream(f)), expected, f);
            }
            expected = checkLines(Files.newInputStream(logs.resolve("agent.log")), expected, logs.resolve("agent.log"));
            assertEquals(lines + 1, expected, "every line, once, in order, across " + rotated.size() + " rotated files");
        }
    }

    /**
     * keep_running_on_exit: the agent writes agent.log itself (it must outlive opsd's pipe), and opsd rotates that
     * file by copy and truncate once it is past log.max_size, keeping at most log.max_files rotated files.
     */
    @Test
    void theLogOfAnAgentThatOutlivesOpsdIsRotatedToo() throws Exception {
        Path logs = Path.of(context.getProperty("opsd.log.dir"), "agents", "it-keeper-log");
        if (Files.exists(logs)) {
            try (var old = Files.list(logs)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        }
        try (Agents a = new Agents(context, cm, agents)) {
            // about 50 KiB a second, each line numbered
            a.shell("it-keeper-log", "i=0; while :; do j=0; while [ $j -lt 100 ]; do"
                + " echo line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); j=$((j+1)); done; sleep 0.1; done",
                Map.of("keep_running_on_exit", true, "log.max_size", "4KiB", "log.max_files", 2, "log.compress",
                    false));
            long pid = a.await("it-keeper-log", AgentState.RUNNING).pid();
            java.util.Set<String> seen = new java.util.TreeSet<>();
            Await.until(Duration.ofSeconds(60), () -> {
                seen.addAll(names(logs));
                return seen.containsAll(List.of("agent.log.1", "agent.log.2"))
                    && Files.exists(logs.resolve("agent.log.2"));
            }, () -> "rotated files so far: " + seen);
            assertEquals(java.util.Set.of("agent.log", "agent.log.1", "agent.log.2"), seen,
                "at most log.max_files = 2 rotated files");
            assertTrue(Files.readString(logs.resolve("agent.log.1")).startsWith("line "), "agent.log.1");
            // truncated, not renamed: the agent still writes the same file, from its start (no hole of zero bytes)
            Await.until(LIMIT, () -> {
                try {
                    return Files.size(logs.resolve("agent.log")) > 0;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, () -> "the agent no longer writes agent.log");
            byte[] active = Files.readAllBytes(logs.resolve("agent.log"));
            assertTrue(active[0] != 0, "agent.log starts with a hole: the agent does not write in append mode");
            assertEquals(pid, agents.agent("it-keeper-log").orElseThrow().pid(), "the agent was not restarted");
        }
    }

    private static java.util.Set<String> names(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        } catch (java.io.IOException e) {
            return java.util.Set.of();
        }
    }

    private static long checkLines(java.io.InputStream in, long first, Path file) throws java.io.IOException {
        long expected = first;
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
            java.nio.charset.StandardCharsets.US_ASCII), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (Long.parseLong(line) != expected) {
                    throw new AssertionError(file + ": expected line " + expected + " but found " + line);
                }
                expected++;
            }
        }
        return expected;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
