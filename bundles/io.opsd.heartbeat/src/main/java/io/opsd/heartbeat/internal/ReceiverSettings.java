package io.opsd.heartbeat.internal;

import java.util.Map;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.heartbeat} configuration; the token is never shown. */
record ReceiverSettings(boolean enabled, int workers, int queueSize, long maxBody, String token) {

    static ReceiverSettings of(HeartbeatConfig c, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        boolean enabled = check.bool("enabled", c::enabled);
        int workers = check.integer("workers", c::workers);
        if (workers < 1 || workers > 256) {
            throw check.invalid("workers", workers, "is out of range; use 1 to 256");
        }
        int queueSize = check.integer("queue_size", c::queue__size);
        if (queueSize < 1 || queueSize > 1_000_000) {
            throw check.invalid("queue_size", queueSize, "is out of range; use 1 to 1000000");
        }
        long maxBody = check.size("max_body", c.max__body());
        if (maxBody < 128 || maxBody > 16L << 20) {
            throw check.invalid("max_body", c.max__body(), "is out of range; use 128B to 16MiB");
        }
        return new ReceiverSettings(enabled, workers, queueSize, maxBody,
            c.token() == null ? "" : c.token().trim());
    }

    @Override
    public String toString() {
        return "ReceiverSettings[enabled=" + enabled + ", workers=" + workers + ", queueSize=" + queueSize
            + ", maxBody=" + maxBody + ", token=" + (token.isEmpty() ? "none" : "<redacted>") + "]";
    }
}
