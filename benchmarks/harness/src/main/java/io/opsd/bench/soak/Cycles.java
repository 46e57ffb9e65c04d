package io.opsd.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsd.bench.node.Http;
import io.opsd.bench.node.Await;

/** The bodies of the soak's four kinds of churn, each as an operator would do it. */
final class Cycles {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String COLLECTOR_SERIES = "opsd_filehandles_in_use";

    private final SoakNode node;
    private final Http http;
    private final Simulator simulator;
    private final Sessions sessions;
    private final Path collectorJar;
    private final Path typeJar;
    private final Duration outage;

    Cycles(SoakNode node, Http http, Simulator simulator, Sessions sessions, Path collectorJar, Path typeJar,
        Duration outage) {
        this.node = node;
        this.http = http;
        this.simulator = simulator;
        this.sessions = sessions;
        this.collectorJar = collectorJar;
        this.typeJar = typeJar;
        this.outage = outage;
    }

    /** Drops the example collector into deploy/, waits for its series on /metrics, removes it, waits for it gone. */
    Duration deployCollector(int i) throws IOException {
        Path target = node.deploy().resolve(collectorJar.getFileName());
        long start = System.nanoTime();
        drop(collectorJar, target);
        Await.until(LIMIT, () -> metricsContain(COLLECTOR_SERIES), () -> COLLECTOR_SERIES + " never on /metrics");
        Duration applied = Duration.ofNanos(System.nanoTime() - start);
        Files.delete(target);
        Await.until(LIMIT, () -> !metricsContain(COLLECTOR_SERIES), () -> COLLECTOR_SERIES
            + " still on /metrics after the bundle was removed");
        return applied;
    }

    /**
     * Drops the example agent type into deploy/, waits for the agent of that type to run, removes the type and
     * waits for the agent to wait for its type again with its process gone.
     */
    Duration cycleAgentType(int i) throws IOException {
        Path target = node.deploy().resolve(typeJar.getFileName());
        long start = System.nanoTime();
        drop(typeJar, target);
        long[] pid = new long[1];
        Await.until(LIMIT, () -> {
            pid[0] = runningPid(SoakNode.TYPED, "/bin/sleep");
            return pid[0] > 0;
        }, () -> SoakNode.TYPED + " never ran: " + node.state(SoakNode.TYPED).map(JsonNode::toString).orElse("-"));
        Duration applied = Duration.ofNanos(System.nanoTime() - start);
        sessions.observe(SoakNode.TYPED, pid[0]);
        Files.delete(target);
        // the state file holds the wire name of waiting-for-type, "stopped", with the operator's wish unchanged
        Await.until(LIMIT, () -> node.state(SoakNode.TYPED).filter(s -> s.path("status").asText().equals("stopped")
            && s.path("desired_state").asText().equals("running") && s.path("pid").asLong() == 0).isPresent()
            && !Files.exists(Path.of("/proc/" + pid[0])),
            () -> SoakNode.TYPED + " not back to waiting-for-type with its process gone: "
                + node.state(SoakNode.TYPED).map(JsonNode::toString).orElse("-"));
        sessions.observe(SoakNode.TYPED, 0);
        return applied;
    }

    /**
     * Rewrites the file of the edited agent (even cycles) or of the one that ignores SIGTERM (odd cycles) with a new
     * argument, and waits for a process with that argument.
     */
    Duration editAgent(int i) throws IOException {
        boolean stubborn = i % 2 == 1;
        String id = stubborn ? SoakNode.STUBBORN : SoakNode.EDITED;
        String args = Integer.toString(i + 1);
        long start = System.nanoTime();
        SoakNode.agent(node.home.resolve("runtime-config"), id, node.agentBin(id), args,
            "health.interval = 2s\nlog.max_size = 16KiB\nlog.max_files = 2\nhealth.heartbeat_timeout = disabled\n"
                + (stubborn ? "stop.timeout = 1s\n" : ""));
        long[] pid = new long[1];
        Await.until(LIMIT, () -> {
            pid[0] = runningPid(id, id + "\0" + args + "\0");
            return pid[0] > 0;
        }, () -> id + " never ran with args " + args + ": " + node.state(id).map(JsonNode::toString).orElse("-"));
        sessions.observe(id, pid[0]);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Takes the Manager away for the outage, brings it back on the same port, and waits until the node has sent it
     * a heartbeat, a metrics report and the agents' states again.
     */
    Duration managerOutage(int i) throws IOException, InterruptedException {
        simulator.stop();
        LockSupport.parkNanos(outage.toNanos()); // the outage itself: the Manager is away this long
        simulator.start();
        return Await.until(Duration.ofSeconds(60), () -> {
            try {
                return simulator.calls("Heartbeat") > 0 && simulator.calls("ReportMetrics") > 0
                    && simulator.calls("SyncAgentStates") > 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, () -> "the node did not come back to the Manager after outage " + (i + 1));
    }

    /** The agent's pid when its state says running and that process's command line ends with {@code tail}. */
    private long runningPid(String id, String commandTail) {
        return node.state(id).filter(s -> "running".equals(s.path("status").asText()))
            .map(s -> s.path("pid").asLong()).filter(p -> p > 0 && commandLine(p).contains(commandTail))
            .orElse(0L);
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
        } catch (IOException e) {
            return "";
        }
    }

    private boolean metricsContain(String series) {
        try {
            Http.Response r = http.get("/metrics");
            return r.status() == 200 && r.body().contains(series);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Copies under a name FileInstall ignores, then renames: it never sees half a jar. */
    private static void drop(Path jar, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
