package io.opsd.agent.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.opsd.api.store.ResourceSample;

/**
 * Samples one agent's whole process tree (its session) and gives the CPU used over the interval since the previous
 * sample, never a lifetime average. Not thread-safe: one supervisor calls it.
 */
final class ProcessTreeSampler {

    private static final double NANOS_PER_SECOND = 1e9;

    /** What the previous sample saw of one process; the start time tells a reused pid from the same process. */
    private record CpuMark(long startTicks, long cpuTicks) {
    }

    private final ProcFs procFs;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;
    private Map<Long, CpuMark> previousMarks = Map.of();
    private boolean hasPrevious;
    private long previousNanos;
    private OptionalLong previousUptimeTicks = OptionalLong.empty();

    /**
     * @param nanoClock monotonic nanoseconds, normally {@code System::nanoTime}
     * @param wallClock the time stamped on each sample, normally {@code Instant::now}
     */
    ProcessTreeSampler(ProcFs procFs, LongSupplier nanoClock, Supplier<Instant> wallClock) {
        this.procFs = Objects.requireNonNull(procFs, "procFs");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    /**
     * Sums the figures of every process in the session. The first sample after construction or {@link #reset()}
     * has no interval and reports 0 CPU.
     */
    ResourceSample sample(long sessionId) {
        // both clocks are read before the scan, so a process forked during the scan counts as new in the next one
        long nowNanos = nanoClock.getAsLong();
        OptionalLong uptimeTicks = procFs.uptimeTicks();
        Instant time = wallClock.get();
        List<ProcFs.Stat> members = procFs.sessionStats(sessionId);

        Map<Long, CpuMark> marks = new HashMap<>();
        long intervalCpuTicks = 0;
        long rssPages = 0;
        long vmsBytes = 0;
        long diskReadBytes = 0;
        long diskWriteBytes = 0;
        int openFiles = 0;
        int threads = 0;
        for (ProcFs.Stat member : members) {
            intervalCpuTicks += cpuTicksSincePrevious(member);
            marks.put(member.pid(), new CpuMark(member.startTicks(), member.cpuTicks()));
            rssPages += member.rssPages();
            vmsBytes += member.vsizeBytes();
            ProcFs.Io io = procFs.io(member.pid()).orElse(null);
            if (io != null) {
                diskReadBytes += io.readBytes();
                diskWriteBytes += io.writeBytes();
            }
            openFiles += procFs.openFiles(member.pid());
            threads += member.threads();
        }

        double cpuPercent = 0;
        long elapsedNanos = nowNanos - previousNanos;
        if (hasPrevious && elapsedNanos > 0) {
            double cpuSeconds = (double) intervalCpuTicks / procFs.clockTicksPerSecond();
            cpuPercent = 100 * cpuSeconds / (elapsedNanos / NANOS_PER_SECOND);
        }
        previousMarks = marks;
        previousNanos = nowNanos;
        previousUptimeTicks = uptimeTicks;
        hasPrevious = true;
        return new ResourceSample(time, cpuPercent, rssPages * procFs.pageSize(), vmsBytes, diskReadBytes,
            diskWriteBytes, openFiles, threads);
    }

    /** Forgets the previous sample, as after the agent restarted: the next sample reports 0 CPU. */
    void reset() {
        previousMarks = Map.of();
        hasPrevious = false;
        previousNanos = 0;
        previousUptimeTicks = OptionalLong.empty();
    }

    private long cpuTicksSincePrevious(ProcFs.Stat member) {
        if (!hasPrevious) {
            return 0;
        }
        CpuMark before = previousMarks.get(member.pid());
        if (before != null && before.startTicks() == member.startTicks()) {
            return Math.max(0, member.cpuTicks() - before.cpuTicks());
        }
        // not seen before (or a reused pid): all its time is in this interval only if it started after the
        // previous sample; one that started earlier but was missed gives nothing rather than a spike
        boolean startedSincePrevious = previousUptimeTicks.isPresent()
            && member.startTicks() >= previousUptimeTicks.getAsLong();
        return startedSincePrevious ? Math.max(0, member.cpuTicks()) : 0;
    }
}
