package io.opsd.launcher.migrate;

import java.util.List;
import java.util.Optional;

/** The {@code manager} section as {@code io.opsd.manager}: address, intervals, timeout, token and TLS files. */
final class ManagerMigration {

    private final Conversion c;

    ManagerMigration(Conversion c) {
        this.c = c;
    }

    /** Returns the Manager's address when the link is enabled. */
    Optional<String> convert(YamlMap m) {
        CfgFile f = c.file("io.opsd.manager", "the link to the central Manager");
        boolean enabled = m.take("enabled").flatMap(c.values()::bool).map(Boolean::parseBoolean).orElse(true);
        Optional<String> address = m.take("address").flatMap(c.values()::text);
        if (enabled) {
            address.ifPresent(a -> f.set("address", a));
        }
        Optional<String> heartbeat = m.take("heartbeat_interval").flatMap(e -> c.values().duration(e, 1_000));
        heartbeat.ifPresent(v -> f.set("heartbeat_interval", v));
        Optional<String> report = Optional.empty();
        for (String key : List.of("report_interval", "metrics_interval")) {
            Optional<String> r = m.take(key).flatMap(e -> c.values().duration(e, 1_000));
            if (r.isPresent()) {
                report = r;
            }
        }
        if (report.isPresent()) {
            f.set("report_interval", report.get());
        } else {
            heartbeat.ifPresent(v -> f.set("report_interval", v, "The old daemon reported metrics at its"
                + " heartbeat_interval."));
        }
        m.take("sync_interval").flatMap(e -> c.values().duration(e, 1_000)).ifPresent(v -> f.set("sync_interval", v));
        m.take("timeout").flatMap(e -> c.values().duration(e, 100)).ifPresent(v -> f.set("timeout", v));
        m.take("token").flatMap(c.values()::text).ifPresent(v -> f.set("token", v));
        m.take("reconnect_interval").flatMap(c.values()::text).ifPresent(v -> c.warnings().warn(
            m.pathOf("reconnect_interval"),
            "is not carried over: the old daemon never used it; opsd waits 1s, then doubles up to reconnect_max"
            + " (default 60s)"));
        m.map("tls", c.warnings()).ifPresent(tls -> managerTls(tls, f));
        return enabled ? address : Optional.empty();
    }

    private void managerTls(YamlMap tls, CfgFile f) {
        boolean enabled = tls.take("enabled").flatMap(c.values()::bool).map(Boolean::parseBoolean).orElse(true);
        Optional<String> ca = tls.take("ca_file").flatMap(c.values()::text);
        Optional<String> cert = tls.take("cert_file").flatMap(c.values()::text);
        Optional<String> key = tls.take("key_file").flatMap(c.values()::text);
        tls.take("insecure_skip_verify").flatMap(c.values()::bool).filter(Boolean::parseBoolean).ifPresent(v ->
            c.warnings().warn(tls.pathOf("insecure_skip_verify"), "is not carried over: opsd always verifies the"
                + " Manager's certificate against tls.ca_file"));
        if (!enabled || (ca.isEmpty() && cert.isEmpty() && key.isEmpty())) {
            return;
        }
        boolean all = ca.isPresent() && cert.isPresent() && key.isPresent();
        if (ca.isEmpty()) {
            c.warnings().warn(tls.path(), "has no ca_file: the old daemon then connected in plaintext, and opsd needs"
                + " tls.ca_file for TLS; cert_file and key_file are not carried over (the link stays plaintext)");
            return;
        }
        f.set("tls.ca_file", ca.get());
        if (cert.isPresent() != key.isPresent()) {
            c.warnings().warn(tls.path(), "has only one of cert_file and key_file; neither is carried over (opsd"
                + " connects with TLS, without a client certificate)");
        } else if (cert.isPresent()) {
            f.set("tls.cert_file", cert.get());
            f.set("tls.key_file", key.get());
        }
        if (!all) {
            c.warnings().warn(tls.path(), "does not set all three files: the old daemon then connected in plaintext;"
                + " opsd connects with TLS (check the Manager serves TLS)");
        }
    }
}
