package io.opsd.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Whether a figure keeps growing: the samples after the warm-up are split into an earlier and a later half, and
 * the later median may exceed the earlier one by at most {@code relative} of it plus {@code absolute}. A figure
 * that fills a bounded cache and then stays is not a leak; one that is still climbing in the second half is.
 */
record LeakCheck(String name, ToDoubleFunction<Sample> figure, double relative, double absolute) {

    record Verdict(String name, double earlier, double later, double allowed, boolean leak) {
        String line() {
            return String.format("%-14s earlier median %9.1f  later median %9.1f  allowed up to %9.1f  %s", name,
                earlier, later, allowed, leak ? "GROWING (leak)" : "steady");
        }
    }

    Verdict judge(List<Sample> samples, double warmupSeconds) {
        List<Sample> steady = new ArrayList<>();
        for (Sample s : samples) {
            if (s.seconds() >= warmupSeconds) {
                steady.add(s);
            }
        }
        if (steady.size() < 4) {
            throw new IllegalStateException("too few samples after the warm-up to judge " + name + ": "
                + steady.size() + " (run longer)");
        }
        int half = steady.size() / 2;
        double earlier = median(steady.subList(0, half));
        double later = median(steady.subList(steady.size() - half, steady.size()));
        double allowed = earlier * (1 + relative) + absolute;
        return new Verdict(name, earlier, later, allowed, later > allowed);
    }

    private double median(List<Sample> samples) {
        double[] v = samples.stream().mapToDouble(figure).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
