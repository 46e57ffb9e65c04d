package io.opsd.agent.internal;

import java.util.Objects;

/**
 * The outcome of one health probe.
 *
 * @param healthy whether the agent answered as a healthy one should
 * @param detail a short sentence saying what happened, such as {@code HTTP 503 from http://127.0.0.1:9100/metrics}
 */
record ProbeResult(boolean healthy, String detail) {

    ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    static ProbeResult ok(String detail) {
        return new ProbeResult(true, detail);
    }

    static ProbeResult failed(String detail) {
        return new ProbeResult(false, detail);
    }
}
