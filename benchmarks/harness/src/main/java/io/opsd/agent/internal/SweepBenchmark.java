package io.opsd.agent.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The time to sample the process trees of N agents once (what the supervisors do each health interval, summed):
 * N real sleeping processes, each leading its own session, sampled with the supervisor's own sampler.
 * In this package because the sampler is package-private. Usage: SweepBenchmark [agents] [sweeps]
 */
public final class SweepBenchmark {

    private SweepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int sweeps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < agents; i++) {
                processes.add(new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c", "sleep 100000").start());
            }
            ProcFs proc = ProcFs.system();
            List<ProcessTreeSampler> samplers = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                samplers.add(new ProcessTreeSampler(proc, System::nanoTime, Instant::now));
            }
            long[] nanos = new long[sweeps];
            for (int warm = 0; warm < 20; warm++) {
                sweep(samplers, processes);
            }
            for (int s = 0; s < sweeps; s++) {
                long start = System.nanoTime();
                sweep(samplers, processes);
                nanos[s] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("full resource sweep of %d agents: median %.2f ms, p90 %.2f ms (%d sweeps, %d"
                + " processes on the host)%n", agents, nanos[sweeps / 2] / 1e6, nanos[(int) (sweeps * 0.9)] / 1e6,
                sweeps, proc.all().size());
        } finally {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static void sweep(List<ProcessTreeSampler> samplers, List<Process> processes) {
        for (int i = 0; i < samplers.size(); i++) {
            samplers.get(i).sample(processes.get(i).pid());
        }
    }
}
