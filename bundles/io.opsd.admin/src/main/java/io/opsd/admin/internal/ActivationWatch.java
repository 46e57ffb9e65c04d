package io.opsd.admin.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.Bundle;

import io.opsd.api.admin.ComponentView;

/**
 * Waits until every enabled component of a freshly started bundle is ACTIVE, or SATISFIED and unchanged for a settle
 * period: a delayed collector is activated by the scheduler right after registration, so an early SATISFIED reading
 * may still turn into FAILED_ACTIVATION.
 */
final class ActivationWatch {

    static final Duration SETTLE = Duration.ofMillis(200);
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private final BundleViews views;

    ActivationWatch(BundleViews views) {
        this.views = views;
    }

    /** Empty when the bundle's components came up; else the root cause to report. */
    java.util.Optional<String> await(Bundle bundle, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<ComponentView> last = null;
        long stableSince = start;
        while (true) {
            if (bundle.getState() != Bundle.ACTIVE) {
                return java.util.Optional.of("bundle is " + BundleViews.state(bundle.getState()) + ", not ACTIVE");
            }
            List<ComponentView> now = views.components(bundle);
            for (ComponentView c : now) {
                if ("FAILED_ACTIVATION".equals(c.state())) {
                    return java.util.Optional.of("activate failed: " + c.failure() + " (component " + c.name() + ")");
                }
            }
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
            boolean allActive = now.stream().allMatch(c -> "ACTIVE".equals(c.state()) || "DISABLED".equals(c.state()));
            boolean allUp = now.stream().allMatch(c -> "ACTIVE".equals(c.state()) || "SATISFIED".equals(c.state())
                || "DISABLED".equals(c.state()));
            long t = System.nanoTime();
            if ((allActive && !now.isEmpty()) || (allUp && t - stableSince >= SETTLE.toNanos())) {
                return java.util.Optional.empty();
            }
            if (t - deadline >= 0) {
                List<String> down = now.stream().filter(c -> !"ACTIVE".equals(c.state())
                    && !"SATISFIED".equals(c.state()) && !"DISABLED".equals(c.state()))
                    .map(c -> "component " + c.name() + " is " + c.state()
                        + (c.failure().isEmpty() ? "" : ": " + c.failure())).toList();
                return java.util.Optional.of("not active within " + timeout.toSeconds() + " s: "
                    + String.join("; ", down));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
