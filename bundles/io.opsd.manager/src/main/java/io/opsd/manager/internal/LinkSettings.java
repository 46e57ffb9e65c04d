package io.opsd.manager.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.manager} configuration; the token is never shown. */
record LinkSettings(String address, Duration heartbeatInterval, Duration reportInterval, Duration syncInterval,
                    Duration syncDebounce, Duration timeout, Duration reconnectMax, long bufferMax,
                    Optional<Tls> tls, String token) {

    /** PEM files: the CA that signs the Manager's certificate, and optionally the node's own certificate. */
    record Tls(Path ca, Optional<Path> certificate, Optional<Path> key) {
    }

    boolean standalone() {
        return address.isEmpty();
    }

    static LinkSettings of(ManagerLinkConfig c, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        String address = trim(c.address());
        if (!address.isEmpty() && !address.matches("(dns:///)?[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}")) {
            throw check.invalid("address", address, "is not host:port; use such as manager.example.net:9090");
        }
        Duration heartbeat = between(check, "heartbeat_interval", c.heartbeat__interval(), Duration.ofSeconds(1),
            Duration.ofHours(1));
        Duration report = between(check, "report_interval", c.report__interval(), Duration.ofSeconds(1),
            Duration.ofHours(1));
        Duration sync = between(check, "sync_interval", c.sync__interval(), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration debounce = between(check, "sync_debounce", c.sync__debounce(), Duration.ZERO, Duration.ofMinutes(1));
        Duration timeout = between(check, "timeout", c.timeout(), Duration.ofMillis(100), Duration.ofMinutes(5));
        Duration reconnect = between(check, "reconnect_max", c.reconnect__max(), Duration.ofSeconds(1),
            Duration.ofHours(1));
        long buffer = check.size("buffer_max", c.buffer__max());
        if (buffer < 64 << 10 || buffer > 1L << 30) {
            throw check.invalid("buffer_max", c.buffer__max(), "is out of range; use 64KiB to 1GiB");
        }
        return new LinkSettings(address, heartbeat, report, sync, debounce, timeout, reconnect, buffer, tls(check, c),
            trim(c.token()));
    }

    private static Optional<Tls> tls(ConfigCheck check, ManagerLinkConfig c) {
        String ca = trim(c.tls_ca__file());
        String cert = trim(c.tls_cert__file());
        String key = trim(c.tls_key__file());
        if (ca.isEmpty()) {
            if (!cert.isEmpty() || !key.isEmpty()) {
                throw check.invalid(cert.isEmpty() ? "tls.key_file" : "tls.cert_file", cert.isEmpty() ? key : cert,
                    "needs tls.ca_file too: the Manager's certificate must be checked before the node shows its own");
            }
            return Optional.empty();
        }
        if (cert.isEmpty() != key.isEmpty()) {
            throw check.invalid(cert.isEmpty() ? "tls.cert_file" : "tls.key_file", "",
                "is empty while the other of tls.cert_file and tls.key_file is set; set both or neither");
        }
        return Optional.of(new Tls(check.readableFile("tls.ca_file", ca),
            cert.isEmpty() ? Optional.empty() : Optional.of(check.readableFile("tls.cert_file", cert)),
            key.isEmpty() ? Optional.empty() : Optional.of(check.readableFile("tls.key_file", key))));
    }

    private static Duration between(ConfigCheck check, String key, String value, Duration min, Duration max) {
        Duration d = check.duration(key, value);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw check.invalid(key, value, "is out of range; use " + min.toMillis() + "ms to " + max.toSeconds() + "s");
        }
        return d;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    String describe() {
        return address + " (" + tls.map(t -> t.certificate().isPresent() ? "mutual TLS" : "TLS").orElse("plaintext")
            + (token.isEmpty() ? "" : ", bearer token") + ")";
    }

    @Override
    public String toString() {
        return "LinkSettings[address=" + address + ", heartbeat=" + heartbeatInterval + ", report=" + reportInterval
            + ", sync=" + syncInterval + ", debounce=" + syncDebounce + ", timeout=" + timeout + ", reconnectMax="
            + reconnectMax + ", bufferMax=" + bufferMax + ", tls=" + tls + ", token="
            + (token.isEmpty() ? "none" : "<redacted>") + "]";
    }
}
