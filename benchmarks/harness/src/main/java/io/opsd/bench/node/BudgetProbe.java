package io.opsd.bench.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * The node rows of architecture.md §12 that benchmarks/all measures on one node: four collectors (cpu, memory,
 * disk, network; load off) and three sleeping agents, with the shipped defaults otherwise. In order: RSS at ready,
 * idle CPU over 60 s windows and RSS after the idle time, then hot deploy (bundle dropped in deploy/ → its series
 * on /metrics) and config edit (a collector's interval rewritten → the new interval on /metrics). Prints one
 * {@code key=value} line per figure for the script, after a readable log.
 */
public final class BudgetProbe {

    private static final String COLLECTOR_SERIES = "opsd_filehandles_in_use";

    public static void main(String[] args) throws Exception {
        Path home = Path.of(property("home"));
        Path jar = Path.of(property("opsdJar"));
        Path collectorJar = Path.of(property("collectorJar"));
        Duration idle = Duration.ofSeconds(Long.parseLong(property("idle")));
        int cycles = Integer.parseInt(property("cycles"));
        List<String> jvm = Arrays.stream(System.getProperty("budget.jvm", "").trim().split("\\s+"))
            .filter(s -> !s.isEmpty()).toList();

        int port = setUp(home, Path.of(property("runtimeConfig")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", jar.toString(), "--home", home.toString()));
        Process node = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(home.resolve("node.out").toFile()).start();
        Http http = new Http(port);
        try {
            Await.until(Duration.ofSeconds(60), () -> node.isAlive() && http.status("/ready") == 200
                && running(home) == 3, () -> "not ready with 3 agents running; see " + home.resolve("node.out"));
            double rssAtReady = rssMb(node.pid());
            long threadsAtReady;
            try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(node.pid()), "task"))) {
                threadsAtReady = tasks.count();
            }
            System.out.printf("ready with 3 agents running: RSS %.1f MB, %d threads%n", rssAtReady, threadsAtReady);

            System.out.printf("idle for %d s (CPU per 60 s window, %% of one core):%n", idle.toSeconds());
            long hz = 100; // USER_HZ on Linux
            long start = System.nanoTime();
            long windowStart = start;
            long windowTicks = cpuTicks(node.pid());
            // the first window still has the start's compilations in it: it is shown, the verdict is on the rest
            double worst = 0;
            long settledStart = 0;
            long settledTicks = 0;
            boolean first = true;
            while (System.nanoTime() - start < idle.toNanos()) {
                long due = Math.min(windowStart + Duration.ofSeconds(60).toNanos(), start + idle.toNanos());
                LockSupport.parkNanos(due - System.nanoTime()); // the measuring window: nothing to wait for
                long now = System.nanoTime();
                long t = cpuTicks(node.pid());
                double percent = 100.0 * (t - windowTicks) / hz / ((now - windowStart) / 1e9);
                if (first) {
                    settledStart = now;
                    settledTicks = t;
                } else {
                    worst = Math.max(worst, percent);
                }
                System.out.printf("  %4.0f s  %.2f %%  RSS %.1f MB%s%n", (now - start) / 1e9, percent,
                    rssMb(node.pid()), first ? "  (first minute after the start: not judged)" : "");
                first = false;
                windowStart = now;
                windowTicks = t;
            }
            double idleCpu = settledStart == 0 || System.nanoTime() - settledStart < 1_000_000_000L ? -1
                : 100.0 * (cpuTicks(node.pid()) - settledTicks) / hz / ((System.nanoTime() - settledStart) / 1e9);
            double rssAfterIdle = rssMb(node.pid());

            List<Long> deploys = new ArrayList<>();
            Path target = home.resolve("deploy").resolve(collectorJar.getFileName());
            for (int i = 0; i < cycles; i++) {
                Path part = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(collectorJar, part, StandardCopyOption.REPLACE_EXISTING);
                long t0 = System.nanoTime();
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                Await.until(Duration.ofSeconds(30), () -> metrics(http).contains(COLLECTOR_SERIES),
                    () -> COLLECTOR_SERIES + " never appeared");
                deploys.add((System.nanoTime() - t0) / 1_000_000);
                Files.delete(target);
                Await.until(Duration.ofSeconds(30), () -> !metrics(http).contains(COLLECTOR_SERIES),
                    () -> COLLECTOR_SERIES + " never went away");
            }
            System.out.printf("hot deploy, bundle dropped -> collector publishing (ms): %s%n", deploys);

            List<Long> edits = new ArrayList<>();
            Path cpuConfig = home.resolve("runtime-config/io.opsd.collector.cpu.cfg");
            for (int i = 0; i < cycles; i++) {
                int seconds = 61 + i % 2;
                Pattern applied = Pattern.compile("(?m)^opsd_collector_interval_seconds\\{collector=\"cpu\"} "
                    + seconds + "(\\.0)?$");
                Path tmp = cpuConfig.resolveSibling(".cpu.tmp");
                Files.writeString(tmp, "interval = " + seconds + "s\n");
                long t0 = System.nanoTime();
                Files.move(tmp, cpuConfig, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Await.until(Duration.ofSeconds(30), () -> applied.matcher(metrics(http)).find(),
                    () -> "interval " + seconds + " s never on /metrics");
                edits.add((System.nanoTime() - t0) / 1_000_000);
            }
            System.out.printf("config edit -> applied (ms): %s%n", edits);

            System.out.printf("rss_ready_mb=%.1f%n", rssAtReady);
            System.out.printf("threads_ready=%d%n", threadsAtReady);
            System.out.printf("rss_idle_mb=%.1f%n", rssAfterIdle);
            System.out.printf("idle_seconds=%d%n", idle.toSeconds());
            System.out.printf("idle_cpu_percent=%.3f%n", idleCpu);
            System.out.printf("idle_cpu_worst_window_percent=%.3f%n", worst);
            System.out.printf("hot_deploy_ms_median=%d%nhot_deploy_ms_max=%d%n", median(deploys), max(deploys));
            System.out.printf("config_edit_ms_median=%d%nconfig_edit_ms_max=%d%n", median(edits), max(edits));
        } finally {
            node.destroy();
            if (!node.waitFor(40, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    private static String property(String name) {
        String v = System.getProperty("budget." + name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("system property budget." + name + " is required");
        }
        return v.trim();
    }

    /** A home like an operator's: the shipped configuration, load collector off, three custom agents. */
    private static int setUp(Path home, Path shipped) throws IOException {
        NodeConfig copied = NodeConfig.copy(shipped, home);
        Path config = copied.dir();
        Files.writeString(config.resolve("io.opsd.collector.load.cfg"), "enabled = false\n");
        for (int i = 1; i <= 3; i++) {
            Files.writeString(config.resolve("io.opsd.agent-idle-" + i + ".cfg"), "binary_path = /bin/sleep\n"
                + "args = 100000\nhealth.heartbeat_timeout = disabled\n");
        }
        return copied.httpPort();
    }

    private static int running(Path home) {
        int n = 0;
        for (int i = 1; i <= 3; i++) {
            Path f = home.resolve("data/agents/idle-" + i + ".json");
            try {
                if (Files.exists(f) && Http.JSON.readTree(Files.readString(f)).path("status").asText()
                    .equals("running")) {
                    n++;
                }
            } catch (IOException e) {
                // being replaced
            }
        }
        return n;
    }

    private static String metrics(Http http) {
        try {
            return http.get("/metrics").body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** utime + stime of the whole process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }
}
