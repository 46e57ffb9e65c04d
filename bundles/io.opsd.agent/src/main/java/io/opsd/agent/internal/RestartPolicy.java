package io.opsd.agent.internal;

import java.time.Duration;
import java.util.Locale;

/** When an agent that ended is started again, and after how long. */
record RestartPolicy(Mode mode, int maxRetries, Duration backoffBase, Duration backoffMax, Duration resetAfter) {

    enum Mode {
        ALWAYS, ON_FAILURE, NEVER;

        static Mode of(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "always" -> ALWAYS;
                case "on-failure" -> ON_FAILURE;
                case "never" -> NEVER;
                default -> throw new IllegalArgumentException("is not a restart policy; use always, on-failure or"
                    + " never");
            };
        }
    }

    /** Whether a process that ended this way is restarted: never; only after a failure; always. */
    boolean restarts(boolean failed) {
        return switch (mode) {
            case ALWAYS -> true;
            case ON_FAILURE -> failed;
            case NEVER -> false;
        };
    }

    /** The wait before the n-th automatic restart in a row (n from 1): min(base x 2^(n-1), max). */
    Duration backoff(int n) {
        int exponent = Math.max(0, Math.min(n - 1, 30));
        Duration d = backoffBase.multipliedBy(1L << exponent);
        return d.compareTo(backoffMax) > 0 || d.isNegative() ? backoffMax : d;
    }
}
