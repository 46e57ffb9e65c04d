package io.opsd.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsd.bench.node.Http;

/**
 * One look at the node's resources: /proc, a full GC and jcmd GC.heap_info, GET /ready, and when the node runs with
 * {@code -XX:NativeMemoryTracking} the committed total of {@code jcmd VM.native_memory summary} (else -1).
 */
record Sample(double seconds, double rssMb, double heapAfterGcMb, double metaspaceMb, int threads, int fds,
    int bundles, int components, int notReady, int rejected, String problems, double nmtCommittedMb,
    String nativeMemory) {

    static final String HEADER = String.format("%8s %8s %9s %8s %7s %5s %7s %10s %9s %8s %8s", "t[s]", "RSS[MB]",
        "heap[MB]", "meta[MB]", "threads", "fds", "bundles", "components", "not_ready", "rejected", "NMT[MB]");

    String line() {
        return String.format("%8.0f %8.1f %9.1f %8.1f %7d %5d %7d %10d %9d %8d %8.1f", seconds, rssMb,
            heapAfterGcMb, metaspaceMb, threads, fds, bundles, components, notReady, rejected, nmtCommittedMb);
    }

    private static final Pattern NMT_TOTAL = Pattern.compile("(?m)^Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern NMT_PART = Pattern.compile("(?m)^-\\s+(\\S.*?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /** Committed MB of each part of an NMT summary, in the order jcmd prints them. */
    static Map<String, Double> nativeMemoryParts(String summary) {
        Map<String, Double> parts = new java.util.LinkedHashMap<>();
        Matcher m = NMT_PART.matcher(summary);
        while (m.find()) {
            parts.put(m.group(1).trim(), Long.parseLong(m.group(2)) / 1024.0);
        }
        return parts;
    }

    static Sample take(double seconds, long pid, Http http, boolean nmt) throws IOException, InterruptedException {
        Path proc = Path.of("/proc", Long.toString(pid));
        Map<String, String> status = new HashMap<>();
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                status.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        double rss = Long.parseLong(status.get("VmRSS").split("\\s+")[0]) / 1024.0;
        int threads = Integer.parseInt(status.get("Threads"));
        int fds;
        try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
            fds = (int) list.count();
        }
        run(List.of("jcmd", Long.toString(pid), "GC.run"));
        double[] heapAndMetaspace = heapInfo(run(List.of("jcmd", Long.toString(pid), "GC.heap_info")));
        String nativeMemory = nmt ? run(List.of("jcmd", Long.toString(pid), "VM.native_memory", "summary")) : "";
        double nmtCommitted = -1;
        if (nmt) {
            Matcher total = NMT_TOTAL.matcher(nativeMemory);
            if (!total.find()) {
                throw new IllegalStateException("unexpected VM.native_memory output:\n" + nativeMemory);
            }
            nmtCommitted = Long.parseLong(total.group(1)) / 1024.0;
        }
        Http.Response ready = http.get("/ready");
        JsonNode r = ready.json();
        StringBuilder problems = new StringBuilder();
        r.path("not_ready").forEach(p -> problems.append(p).append(' '));
        r.path("rejected").forEach(p -> problems.append(p).append(' '));
        return new Sample(seconds, rss, heapAndMetaspace[0], heapAndMetaspace[1], threads, fds,
            r.path("bundles").asInt(-1),
            r.path("components").asInt(-1), r.path("not_ready").size(), r.path("rejected").size(),
            problems.toString().trim(), nmtCommitted, nativeMemory);
    }

    private static final Pattern SPACE = Pattern.compile("(?m)^ (\\S.*?)\\s+total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("(?m)^ Metaspace\\s+used (\\d+)K");

    /**
     * Heap used and metaspace used, in MB, from {@code jcmd PID GC.heap_info} (the node runs without performance
     * counters, so jstat cannot read it): the sum of the top-level spaces (young and old generation, or the G1
     * heap) and the Metaspace line.
     */
    static double[] heapInfo(String text) {
        Matcher space = SPACE.matcher(text);
        long usedKiB = 0;
        int spaces = 0;
        while (space.find()) {
            usedKiB += Long.parseLong(space.group(2));
            spaces++;
        }
        Matcher metaspace = METASPACE.matcher(text);
        if (spaces == 0 || !metaspace.find()) {
            throw new IllegalStateException("unexpected GC.heap_info output:\n" + text);
        }
        return new double[] {usedKiB / 1024.0, Long.parseLong(metaspace.group(1)) / 1024.0};
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command + " failed: " + new String(out));
        }
        return new String(out);
    }
}
