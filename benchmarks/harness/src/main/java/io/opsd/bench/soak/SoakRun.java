package io.opsd.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsd.bench.node.Http;
import io.opsd.bench.node.Await;

/**
 * benchmarks/soak: one node under steady load and churn for a while, watched for leaks and broken promises. See
 * benchmarks/README.md for what it runs and what makes it fail. Settings come from system properties (the script
 * passes its environment).
 */
public final class SoakRun {

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private boolean nativeMemoryTracking;

    public static void main(String[] args) throws Exception {
        System.exit(new SoakRun().run() ? 0 : 1);
    }

    private static String setting(String name) {
        String value = System.getProperty("soak." + name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property soak." + name + " is required");
        }
        return value.trim();
    }

    private static int number(String name) {
        return Integer.parseInt(setting(name));
    }

    private static Duration seconds(String name) {
        return Duration.ofSeconds(Long.parseLong(setting(name)));
    }

    private boolean run() throws Exception {
        Duration duration = seconds("duration");
        Duration sampleEvery = seconds("sample");
        String warmupSetting = System.getProperty("soak.warmup", "").trim();
        Duration warmup = warmupSetting.isEmpty() ? Duration.ofSeconds(Math.max(60, duration.toSeconds() / 4))
            : Duration.ofSeconds(Long.parseLong(warmupSetting));
        Path home = Path.of(setting("home"));
        List<String> jvm = Arrays.stream(System.getProperty("soak.jvm", "").trim().split("\\s+"))
            .filter(s -> !s.isEmpty()).toList();
        nativeMemoryTracking = jvm.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking=")
            && !f.endsWith("=off"));

        Simulator simulator = new Simulator(Path.of(setting("simulatorJar")), home.getParent());
        simulator.start();
        SoakNode node = SoakNode.create(home, Path.of(setting("opsdJar")), Path.of(setting("runtimeConfig")), jvm,
            simulator.grpcPort);
        Http http = new Http(node.httpPort);
        System.out.printf("home %s, node JVM flags: %s%n", home, jvm.isEmpty() ? "(JVM defaults)" : String.join(" ",
            jvm));
        node.start();
        long t0 = System.nanoTime();
        try {
            Await.until(Duration.ofSeconds(60), () -> node.alive() && http.status("/ready") == 200,
                () -> "/ready never 200; node output:\n" + node.logTail(30));
            Await.until(Duration.ofSeconds(60), () -> SoakNode.STEADY.stream().allMatch(id -> node.state(id)
                .map(s -> s.path("pid").asLong() > 0).orElse(false)), () -> "not every agent started");
            System.out.printf("ready in %.1f s, agents started; %d s of load and churn, a sample every %d s, "
                + "warm-up %d s%n", (System.nanoTime() - t0) / 1e9, duration.toSeconds(), sampleEvery.toSeconds(),
                warmup.toSeconds());
            return soak(node, http, simulator, t0, duration, sampleEvery, warmup);
        } finally {
            if (node.alive()) {
                node.stop(40);
            }
            if (simulator.alive()) {
                simulator.stop();
            }
        }
    }

    private boolean soak(SoakNode node, Http http, Simulator simulator, long t0, Duration duration,
        Duration sampleEvery, Duration warmup) throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Sessions sessions = new Sessions(node.home);
        // the churn ends a little before the load, so that the last samples see the node settled
        Duration window = duration.minus(Duration.ofSeconds(Math.min(60, duration.toSeconds() / 10)));
        Cycles cycles = new Cycles(node, http, simulator, sessions, Path.of(setting("collectorJar")),
            Path.of(setting("typeJar")), seconds("outage"));
        List<Loop> loops = List.of(
            new Loop("collector hot deploy", number("deployCycles"), start, window, cycles::deployCollector),
            new Loop("agent config edit", number("edits"), start, window, cycles::editAgent),
            new Loop("agent type install", number("typeCycles"), start, window, cycles::cycleAgentType),
            new Loop("Manager outage", number("outages"), start + Duration.ofSeconds(5).toNanos(),
                window.minusSeconds(5), cycles::managerOutage));
        HeartbeatLoad heartbeats = new HeartbeatLoad(http, SoakNode.STEADY, number("rate"), end);
        List<Thread> threads = new ArrayList<>();
        threads.add(started(new Thread(heartbeats, "heartbeats")));
        for (Loop loop : loops) {
            threads.add(started(new Thread(loop, loop.name)));
        }
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = started(new Thread(() -> watch(node, sessions, watching), "sessions"));

        System.out.println();
        System.out.println(Sample.HEADER);
        for (long next = start; System.nanoTime() - end < 0; next += sampleEvery.toNanos()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // the sampling period
            }
            if (!node.alive()) {
                failures.add("the node exited by itself with " + node.process().exitValue() + ":\n"
                    + node.logTail(40));
                break;
            }
            sample(node, http, start);
        }
        heartbeats.stop();
        long joinDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
        }
        for (Loop loop : loops) {
            loop.stop();
            failures.addAll(loop.failures());
            if (loop.done() < loop.count()) {
                failures.add(loop.name + ": only " + loop.done() + " of " + loop.count() + " cycles were done");
            }
        }
        watching.set(false);
        watcher.join(10_000);
        if (!node.alive()) {
            return report(node, heartbeats, loops, Map.of(), warmup, -2, sessions);
        }

        // settled: ready with nothing unsatisfied or rejected, and the Manager buffer delivered
        try {
            Await.until(Duration.ofSeconds(60), () -> {
                try {
                    JsonNode ready = http.get("/ready").json();
                    return ready.path("ready").asBoolean() && ready.path("not_ready").isEmpty()
                        && ready.path("rejected").isEmpty();
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, () -> "components left unsatisfied: " + body(http, "/ready"));
        } catch (IllegalStateException e) {
            failures.add(e.getMessage());
        }
        try {
            Await.until(Duration.ofSeconds(60), () -> bufferEntries(node) == 0,
                () -> bufferEntries(node) + " entries still in data/manager/buffer");
        } catch (IllegalStateException e) {
            failures.add("the Manager buffer was not delivered: " + e.getMessage());
        }
        sample(node, http, start);
        JsonNode stats = http.get("/heartbeat/stats").json();
        List<String> synced = simulator.syncedAgents();
        for (String id : SoakNode.ALL) {
            if (!synced.contains(id)) {
                failures.add("the Manager never got the state of agent " + id + " (it has " + synced + ")");
            }
        }
        Map<String, JsonNode> finalStates = new java.util.TreeMap<>();
        for (String id : SoakNode.ALL) {
            node.state(id).ifPresent(s -> finalStates.put(id, s));
        }
        long stopStart = System.nanoTime();
        int exit = node.stop(40);
        System.out.printf("%nSIGTERM -> exit %d in %d ms%n", exit, (System.nanoTime() - stopStart) / 1_000_000);
        if (exit != 0) {
            failures.add("the node's exit code after SIGTERM was " + exit);
        }
        long acknowledged = heartbeats.acknowledged();
        if (stats.path("total_received").asLong() < acknowledged) {
            failures.add("/heartbeat/stats total_received " + stats.path("total_received") + " < " + acknowledged
                + " acknowledged");
        }
        if (stats.path("total_errors").asLong() != 0) {
            failures.add("/heartbeat/stats total_errors " + stats.path("total_errors"));
        }
        System.out.printf("heartbeat stats before the stop: %s%n", stats);
        return report(node, heartbeats, loops, finalStates, warmup, exit, sessions);
    }

    private static Thread started(Thread thread) {
        thread.start();
        return thread;
    }

    private void sample(SoakNode node, Http http, long start) {
        try {
            Sample s = Sample.take((System.nanoTime() - start) / 1e9, node.pid(), http,
                nativeMemoryTracking);
            samples.add(s);
            System.out.println(s.line() + (s.problems().isEmpty() ? "" : "  " + s.problems()));
        } catch (IOException | RuntimeException e) {
            failures.add("a sample failed at " + (System.nanoTime() - start) / 1_000_000_000 + " s: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Learns the agents' sessions twice a second and reports any process left behind by a replaced one. */
    private void watch(SoakNode node, Sessions sessions, AtomicBoolean watching) {
        long nextCheck = System.nanoTime();
        java.util.Set<String> reported = new java.util.HashSet<>();
        while (watching.get()) {
            for (String id : SoakNode.ALL) {
                node.state(id).ifPresent(s -> {
                    String status = s.path("status").asText();
                    if (status.equals("running") || status.equals("starting")) {
                        sessions.observe(id, s.path("pid").asLong());
                    } else if (!status.equals("stopping") && !status.equals("restarting")) {
                        sessions.observe(id, 0);
                    }
                });
            }
            if (System.nanoTime() - nextCheck >= 0) {
                // stop.timeout is at most 2 s here; 20 s covers a slow stop and the store's write delay
                for (String left : sessions.outliving(Duration.ofSeconds(20).toNanos())) {
                    if (reported.add(left)) {
                        failures.add("a process outlived its agent: " + left);
                    }
                }
                nextCheck = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // polling period
        }
    }

    private boolean report(SoakNode node, HeartbeatLoad heartbeats, List<Loop> loops,
        Map<String, JsonNode> finalStates, Duration warmup, int exit, Sessions sessions) {
        // after the node's exit every session it started must be empty
        try {
            Await.until(Duration.ofSeconds(5), () -> sessions.anyLeft().isEmpty(), () -> "left: "
                + sessions.anyLeft());
        } catch (IllegalStateException e) {
            failures.add("processes outlived the node's stop: " + e.getMessage());
        }
        int missing = 0;
        for (Map.Entry<String, Instant> e : heartbeats.lastAcknowledged().entrySet()) {
            Optional<Instant> stored = node.lastHeartbeat(e.getKey());
            if (stored.isEmpty() || !stored.get().equals(e.getValue())) {
                missing++;
                failures.add("agent " + e.getKey() + ": the last heartbeat acknowledged with 200 carried "
                    + e.getValue() + ", the store holds " + stored.map(Instant::toString).orElse("none"));
            }
        }
        List<LeakCheck.Verdict> verdicts = new ArrayList<>();
        List<Sample> all = List.copyOf(samples);
        if (!all.isEmpty()) {
            List<LeakCheck> checks = new ArrayList<>(List.of(
                new LeakCheck("RSS MB", Sample::rssMb, 0.10, 8),
                new LeakCheck("heap MB", Sample::heapAfterGcMb, 0.20, 4),
                new LeakCheck("metaspace MB", Sample::metaspaceMb, 0.05, 2),
                new LeakCheck("threads", Sample::threads, 0, 4),
                new LeakCheck("fds", Sample::fds, 0, 8),
                new LeakCheck("bundles", Sample::bundles, 0, 1)));
            if (nativeMemoryTracking) {
                checks.add(new LeakCheck("NMT committed MB", Sample::nmtCommittedMb, 0.10, 8));
            }
            for (LeakCheck check : checks) {
                try {
                    LeakCheck.Verdict v = check.judge(all, warmup.toSeconds());
                    verdicts.add(v);
                    if (v.leak()) {
                        failures.add(v.name() + " keeps growing: " + v.line());
                    }
                } catch (IllegalStateException e) {
                    failures.add(e.getMessage());
                }
            }
            Sample first = all.get(0);
            Sample last = all.get(all.size() - 1);
            if (last.bundles() != first.bundles()) {
                failures.add("bundles at the end " + last.bundles() + ", at the start " + first.bundles());
            }
        }

        System.out.println();
        System.out.println("summary");
        if (!all.isEmpty()) {
            Sample first = all.get(0);
            Sample last = all.get(all.size() - 1);
            System.out.printf("  %-22s %10s %10s%n", "", "start", "end");
            System.out.printf("  %-22s %10.1f %10.1f%n", "RSS MB", first.rssMb(), last.rssMb());
            System.out.printf("  %-22s %10.1f %10.1f%n", "heap after GC MB", first.heapAfterGcMb(),
                last.heapAfterGcMb());
            System.out.printf("  %-22s %10.1f %10.1f%n", "metaspace MB", first.metaspaceMb(), last.metaspaceMb());
            System.out.printf("  %-22s %10d %10d%n", "threads", first.threads(), last.threads());
            System.out.printf("  %-22s %10d %10d%n", "open fds", first.fds(), last.fds());
            System.out.printf("  %-22s %10d %10d%n", "bundles", first.bundles(), last.bundles());
            System.out.printf("  %-22s %10d %10d%n", "components", first.components(), last.components());
            if (nativeMemoryTracking) {
                NativeMemoryTable.print(all, warmup);
            }
            System.out.printf("  peak RSS %.1f MB over %d samples%n", all.stream().mapToDouble(Sample::rssMb).max()
                .orElse(0), all.size());
        }
        System.out.printf("  heartbeats: %d sent, %d acknowledged with 200, statuses %s; last acknowledged per agent "
            + "found in the store after the stop: %d of %d%n", heartbeats.sent(), acknowledged(heartbeats),
            heartbeats.statuses(), heartbeats.lastAcknowledged().size() - missing,
            heartbeats.lastAcknowledged().size());
        for (Loop loop : loops) {
            System.out.println("  " + loop.summary());
        }
        System.out.printf("  agent sessions seen: %d; restarts counted by the node: %s%n", sessions.known(),
            restarts(finalStates));
        System.out.printf("  node log: %s%n", logLevels(node));
        System.out.println("  leak checks (samples after the warm-up of " + warmup.toSeconds() + " s):");
        for (LeakCheck.Verdict v : verdicts) {
            System.out.println("    " + v.line());
        }
        if (failures.isEmpty()) {
            System.out.println("PASS");
            return true;
        }
        System.out.println("FAIL (" + failures.size() + "):");
        failures.forEach(f -> System.out.println("  - " + f));
        System.out.println("home kept: " + node.home);
        return false;
    }

    private static long acknowledged(HeartbeatLoad heartbeats) {
        return heartbeats.acknowledged();
    }

    private static String restarts(Map<String, JsonNode> states) {
        StringBuilder out = new StringBuilder();
        states.forEach((id, s) -> out.append(id).append('=').append(s.path("restart_count").asInt()).append(' '));
        return out.toString().trim();
    }

    private static String logLevels(SoakNode node) {
        Path log = node.home.resolve("logs/opsd.log");
        if (!Files.exists(log)) {
            return "none";
        }
        try (Stream<String> lines = Files.lines(log)) {
            Map<String, Long> levels = new java.util.TreeMap<>();
            lines.forEach(l -> {
                for (String level : List.of(" ERROR ", " WARN ")) {
                    if (l.contains(level)) {
                        levels.merge(level.trim(), 1L, Long::sum);
                    }
                }
            });
            return levels.isEmpty() ? "no WARN or ERROR lines" : levels + " lines (" + log + ")";
        } catch (IOException | java.io.UncheckedIOException e) {
            return e.toString();
        }
    }

    private static int bufferEntries(SoakNode node) {
        Path dir = node.home.resolve("data/manager/buffer");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> !f.getFileName().toString().endsWith(".tmp")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String body(Http http, String path) {
        try {
            return http.get(path).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
