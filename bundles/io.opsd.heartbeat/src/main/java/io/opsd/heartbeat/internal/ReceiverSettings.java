package io.opsd.heartbeat.internal;

import java.util.Map;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.heartbeat} configuration; the token is never shown. */
record ReceiverSettings(boolean enabled, int workers, int queueSize, long maxBody, String token) {

    static ReceiverSettings of(HeartbeatConfig c, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        if (c.workers() < 1 || c.workers() > 256) {
            throw check.invalid("workers", c.workers(), "is out of range; use 1 to 256");
        }
        if (c.queue__size() < 1 || c.queue__size() > 1_000_000) {
            throw check.invalid("queue_size", c.queue__size(), "is out of range; use 1 to 1000000");
        }
        long maxBody = check.size("max_body", c.max__body());
        if (maxBody < 128 || maxBody > 16L << 20) {
            throw check.invalid("max_body", c.max__body(), "is out of range; use 128B to 16MiB");
        }
        return new ReceiverSettings(c.enabled(), c.workers(), c.queue__size(), maxBody,
            c.token() == null ? "" : c.token().trim());
    }

    @Override
    public String toString() {
        return "ReceiverSettings[enabled=" + enabled + ", workers=" + workers + ", queueSize=" + queueSize
            + ", maxBody=" + maxBody + ", token=" + (token.isEmpty() ? "none" : "<redacted>") + "]";
    }
}
