package io.opsd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.AgentMetricsResponse;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ListAgentsResponse;

/**
 * Calls per second and latency of {@code proto.DaemonService/ListAgents} and {@code GetAgentMetrics} of a running
 * node, from a plain grpc-java client in this JVM (one plaintext channel to 127.0.0.1, as the Manager holds one),
 * THREADS callers on blocking stubs, a deadline on every call. Every answer is checked: ListAgents must list
 * AGENTS agents, GetAgentMetrics must return POINTS data points for the agent asked about.
 *
 * <p>First it waits (bounded by {@code wait=} seconds) until the node answers both as expected; then, for each
 * RPC, a warm-up (bounded in time and calls) and a measured phase (bounded in time and calls). Every loop ends at
 * its deadline or its call cap, whichever comes first.
 *
 * <p>Usage: GrpcBenchmark PORT AGENT_ID [THREADS=4] [MEASURE_SECONDS=15] [WARMUP_SECONDS=5] [key=value ...] with
 * keys {@code agents} (100), {@code points} (1440), {@code duration} (GetAgentMetrics duration_seconds, 172800),
 * {@code deadline_ms} (per call, 5000), {@code wait} (seconds, 120), {@code max_calls} (per phase, 2000000),
 * {@code server_pid} (its CPU ticks from /proc are reported per measured phase), {@code clk_tck} (100).
 *
 * <p>Prints one {@code RESULT rpc=... key=value ...} line per RPC for scripts. Exit code 0 when every call of
 * both measured phases succeeded with the expected answer, 1 otherwise, 2 when the node never answered as
 * expected.
 */
public final class GrpcBenchmark {

    private static final long NS_PER_MS = 1_000_000L;

    private GrpcBenchmark() {
    }

    /** One call of the RPC under test; returns null when the answer is right, else what is wrong with it. */
    @FunctionalInterface
    private interface Call {
        String call(DaemonServiceGrpc.DaemonServiceBlockingStub stub);
    }

    /** What one caller thread saw in one phase. */
    private static final class Tally {
        long[] latencies;
        int count;
        long errors;
        long wrong;
        long endNanos;

        Tally(int capacity) {
            latencies = new long[Math.max(16, capacity)];
        }

        void add(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[count++] = nanos;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: GrpcBenchmark PORT AGENT_ID [THREADS] [MEASURE_SECONDS] [WARMUP_SECONDS]"
                + " [agents=N] [points=N] [duration=S] [deadline_ms=N] [wait=S] [max_calls=N] [server_pid=P]"
                + " [clk_tck=N]");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        String agentId = args[1];
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int measureSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        int warmupSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Map<String, String> opts = new TreeMap<>();
        for (int i = 5; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("not key=value: " + args[i]);
            }
            opts.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        int agents = Integer.parseInt(opts.getOrDefault("agents", "100"));
        int points = Integer.parseInt(opts.getOrDefault("points", "1440"));
        long duration = Long.parseLong(opts.getOrDefault("duration", "172800"));
        long deadlineMs = Long.parseLong(opts.getOrDefault("deadline_ms", "5000"));
        int waitSeconds = Integer.parseInt(opts.getOrDefault("wait", "120"));
        int maxCalls = Integer.parseInt(opts.getOrDefault("max_calls", "2000000"));
        String serverPid = opts.getOrDefault("server_pid", "");
        int clkTck = Integer.parseInt(opts.getOrDefault("clk_tck", "100"));
        if (threads < 1 || measureSeconds < 1 || warmupSeconds < 0 || maxCalls < 1) {
            throw new IllegalArgumentException("threads, measure seconds and max_calls must be >= 1");
        }

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(10 * 1024 * 1024)
            .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-caller");
            t.setDaemon(true);
            return t;
        });
        int exit;
        try {
            DaemonServiceGrpc.DaemonServiceBlockingStub base = DaemonServiceGrpc.newBlockingStub(channel);
            ListAgentsRequest listRequest = ListAgentsRequest.getDefaultInstance();
            AgentMetricsRequest metricsRequest = AgentMetricsRequest.newBuilder()
                .setAgentId(agentId).setDurationSeconds(duration).build();
            Call list = stub -> {
                ListAgentsResponse r = stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).listAgents(listRequest);
                return r.getAgentsCount() == agents ? null : r.getAgentsCount() + " agents, not " + agents;
            };
            Call metrics = stub -> {
                AgentMetricsResponse r = stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
                    .getAgentMetrics(metricsRequest);
                if (!r.getAgentId().equals(agentId)) {
                    return "agent_id \"" + r.getAgentId() + "\", not \"" + agentId + "\"";
                }
                return r.getDataPointsCount() == points ? null : r.getDataPointsCount() + " data points, not " + points;
            };

            if (!waitUntilReady(base, list, metrics, waitSeconds)) {
                exit = 2;
            } else {
                describe(base, agentId, duration, deadlineMs);
                boolean ok = true;
                ok &= run("ListAgents", list, base, pool, threads, warmupSeconds, measureSeconds, maxCalls, serverPid,
                    clkTck);
                ok &= run("GetAgentMetrics", metrics, base, pool, threads, warmupSeconds, measureSeconds, maxCalls,
                    serverPid, clkTck);
                exit = ok ? 0 : 1;
            }
        } finally {
            pool.shutdownNow();
            channel.shutdownNow();
            if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
                System.err.println("the channel did not terminate within 10 s");
            }
        }
        System.exit(exit);
    }

    /** Polls both calls (one at a time, 250 ms apart) until both answer as expected or {@code seconds} pass. */
    private static boolean waitUntilReady(DaemonServiceGrpc.DaemonServiceBlockingStub stub, Call list, Call metrics,
            int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer yet";
        long polls = 0;
        while (System.nanoTime() - deadline < 0 && polls < 100_000) {
            polls++;
            try {
                String wrong = list.call(stub);
                if (wrong == null) {
                    wrong = metrics.call(stub);
                    if (wrong == null) {
                        System.out.printf(Locale.ROOT, "the node answers as expected after %d polls%n", polls);
                        return true;
                    }
                    last = "GetAgentMetrics: " + wrong;
                } else {
                    last = "ListAgents: " + wrong;
                }
            } catch (StatusRuntimeException e) {
                last = e.getStatus().toString();
            }
            LockSupport.parkNanos(250 * NS_PER_MS);
        }
        System.out.printf(Locale.ROOT, "WRONG the node did not answer as expected within %d s; last: %s%n", seconds,
            last);
        return false;
    }

    /** One call of each, to show what is measured. */
    private static void describe(DaemonServiceGrpc.DaemonServiceBlockingStub stub, String agentId, long duration,
            long deadlineMs) {
        ListAgentsResponse l = stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
            .listAgents(ListAgentsRequest.getDefaultInstance());
        Map<String, Integer> statuses = new TreeMap<>();
        l.getAgentsList().forEach(a -> statuses.merge(a.getStatus(), 1, Integer::sum));
        AgentMetricsResponse m = stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).getAgentMetrics(
            AgentMetricsRequest.newBuilder().setAgentId(agentId).setDurationSeconds(duration).build());
        int n = m.getDataPointsCount();
        System.out.printf(Locale.ROOT, "ListAgents: %d agents, statuses %s, %d bytes per answer%n",
            l.getAgentsCount(), statuses, l.getSerializedSize());
        System.out.printf(Locale.ROOT, "GetAgentMetrics(%s, duration_seconds=%d): %d points, %d bytes per answer,"
            + " timestamps %d..%d%n", agentId, duration, n, m.getSerializedSize(),
            n == 0 ? 0 : m.getDataPoints(0).getTimestamp(), n == 0 ? 0 : m.getDataPoints(n - 1).getTimestamp());
    }

    /** Warm-up, then the measured phase; prints the figures; returns true when every measured call was right. */
    private static boolean run(String name, Call call, DaemonServiceGrpc.DaemonServiceBlockingStub stub,
            ExecutorService pool, int threads, int warmupSeconds, int measureSeconds, int maxCalls, String serverPid,
            int clkTck) throws Exception {
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        if (warmupSeconds > 0) {
            List<Tally> w = phase(call, stub, pool, threads, warmupSeconds, maxCalls, failures);
            long calls = w.stream().mapToLong(t -> t.count).sum();
            System.out.printf(Locale.ROOT, "%s warm-up: %d s, %d threads, %d calls, %d errors, %d wrong answers%n",
                name, warmupSeconds, threads, calls, w.stream().mapToLong(t -> t.errors).sum(),
                w.stream().mapToLong(t -> t.wrong).sum());
            failures.clear();
        }
        long serverTicks0 = ticks(serverPid);
        long clientTicks0 = ticks("self");
        long start = System.nanoTime();
        List<Tally> tallies = phase(call, stub, pool, threads, measureSeconds, maxCalls, failures);
        long end = tallies.stream().mapToLong(t -> t.endNanos).max().orElse(start);
        long serverTicks = ticks(serverPid) - serverTicks0;
        long clientTicks = ticks("self") - clientTicks0;

        int total = tallies.stream().mapToInt(t -> t.count).sum();
        long[] all = new long[total];
        int at = 0;
        for (Tally t : tallies) {
            System.arraycopy(t.latencies, 0, all, at, t.count);
            at += t.count;
        }
        Arrays.sort(all);
        long errors = tallies.stream().mapToLong(t -> t.errors).sum();
        long wrong = tallies.stream().mapToLong(t -> t.wrong).sum();
        double seconds = (end - start) / 1e9;
        double perSecond = total / seconds;
        double p50 = ms(percentile(all, 0.50));
        double p99 = ms(percentile(all, 0.99));
        double max = ms(total == 0 ? 0 : all[total - 1]);
        double serverCpu = serverTicks < 0 ? -1 : (double) serverTicks / clkTck;
        double clientCpu = clientTicks < 0 ? -1 : (double) clientTicks / clkTck;
        System.out.printf(Locale.ROOT, "%s measured: %.1f s, %d threads, %d calls ok, %.0f calls/s, p50 %.3f ms,"
            + " p99 %.3f ms, max %.3f ms, %d errors, %d wrong answers, server CPU %.2f s, client CPU %.2f s%s%n",
            name, seconds, threads, total, perSecond, p50, p99, max, errors, wrong, serverCpu, clientCpu,
            total + errors + wrong >= maxCalls ? " (stopped at the call cap)" : "");
        failures.forEach((what, n) -> System.out.printf(Locale.ROOT, "  %s: %d x %s%n", name, n.get(), what));
        System.out.printf(Locale.ROOT, "RESULT rpc=%s threads=%d seconds=%.2f calls=%d cps=%.1f p50_ms=%.3f"
            + " p99_ms=%.3f max_ms=%.3f errors=%d wrong=%d server_cpu_s=%.2f client_cpu_s=%.2f load=%s%n",
            name, threads, seconds, total, perSecond, p50, p99, max, errors, wrong, serverCpu, clientCpu,
            loadAverage().replace(' ', ','));
        return errors == 0 && wrong == 0 && total > 0;
    }

    /** THREADS callers until {@code seconds} pass or {@code maxCalls} calls (in all) were made. */
    private static List<Tally> phase(Call call, DaemonServiceGrpc.DaemonServiceBlockingStub stub,
            ExecutorService pool, int threads, int seconds, int maxCalls, Map<String, AtomicLong> failures)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong budget = new AtomicLong(maxCalls);
        long[] endAt = new long[1];
        List<Future<Tally>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                Tally t = new Tally(Math.min(maxCalls / threads, 1 << 20));
                if (!go.await(30, TimeUnit.SECONDS)) {
                    throw new TimeoutException("the start signal did not come");
                }
                long stopAt = endAt[0];
                while (System.nanoTime() - stopAt < 0 && budget.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    try {
                        String wrong = call.call(stub);
                        long took = System.nanoTime() - t0;
                        if (wrong == null) {
                            t.add(took);
                        } else {
                            t.wrong++;
                            failures.computeIfAbsent("wrong answer: " + wrong, k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (StatusRuntimeException e) {
                        t.errors++;
                        Status s = e.getStatus();
                        failures.computeIfAbsent(s.getCode() + " " + s.getDescription(), k -> new AtomicLong())
                            .incrementAndGet();
                    }
                }
                t.endNanos = System.nanoTime();
                return t;
            }));
        }
        endAt[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds); // published to the callers by go
        go.countDown();
        List<Tally> tallies = new ArrayList<>();
        long waitUntil = endAt[0] + TimeUnit.SECONDS.toNanos(60); // a call's deadline is at most a few s past the end
        for (Future<Tally> f : futures) {
            tallies.add(f.get(Math.max(1, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return tallies;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** utime + stime of a process in clock ticks, or -1 when unknown. */
    private static long ticks(String pid) {
        if (pid.isEmpty()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
