package io.opsd.health;

import java.util.List;

/**
 * One reading of the node's readiness.
 *
 * @param bundles    how many bundles are installed
 * @param components how many component configurations the opsd bundles have
 * @param notReady   what keeps the node from being ready; empty when it is ready
 * @param rejected   problems that do not make the node unready (see {@link Readiness})
 */
public record ReadinessReport(int bundles, int components, List<ReadinessProblem> notReady,
                              List<ReadinessProblem> rejected) {

    public ReadinessReport {
        notReady = List.copyOf(notReady);
        rejected = List.copyOf(rejected);
    }

    public boolean ready() {
        return notReady.isEmpty();
    }
}
