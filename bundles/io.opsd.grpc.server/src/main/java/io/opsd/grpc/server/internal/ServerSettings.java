package io.opsd.grpc.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.opsd.api.config.ConfigCheck;
import io.opsd.api.config.InvalidConfigurationException;

/**
 * The validated {@code io.opsd.grpc.server} configuration. A non-loopback address without TLS or a token is
 * refused unless {@code allow_insecure} says otherwise; TLS that is configured but incomplete is refused, never
 * served as plaintext. The token is never shown.
 */
record ServerSettings(boolean enabled, InetSocketAddress address, String token, Optional<TlsFiles> tls,
                      boolean allowInsecure, Duration shutdownGrace) {

    /** The PEM files of the server's TLS; {@code clientCa} turns on mutual TLS. */
    record TlsFiles(Path certificate, Path key, Optional<Path> clientCa) {
    }

    static ServerSettings of(GrpcServerConfig c, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        boolean enabled = check.bool("enabled", c::enabled);
        boolean allowInsecure = check.bool("allow_insecure", c::allow__insecure);
        int port = check.integer("port", c::port);
        if (port < 1 || port > 65535) {
            throw check.invalid("port", port, "is out of range; use 1 to 65535");
        }
        String bind = trim(c.bind());
        if (bind.isEmpty()) {
            throw check.invalid("bind", bind, "is empty; use an IP address such as 127.0.0.1");
        }
        InetAddress host;
        try {
            host = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw check.invalid("bind", bind, "is not an address of this host; use an IP address such as 127.0.0.1");
        }
        String token = trim(c.token());
        Optional<TlsFiles> tls = tls(check, c);
        Duration grace = check.duration("shutdown_grace", c.shutdown__grace());
        if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(5)) > 0) {
            throw check.invalid("shutdown_grace", c.shutdown__grace(), "is out of range; use 0s to 5m");
        }
        boolean exposed = !host.isLoopbackAddress();
        if (enabled && exposed && tls.isEmpty() && token.isEmpty() && !allowInsecure) {
            throw new InvalidConfigurationException(check.where() + ": bind = \"" + bind + "\" is not a loopback"
                + " address, and neither TLS (tls.cert_file, tls.key_file) nor a token is set: anyone who can reach"
                + " the port could start and stop agents. Set TLS or a token, or allow_insecure = true");
        }
        return new ServerSettings(enabled, new InetSocketAddress(host, port), token, tls, allowInsecure,
            grace);
    }

    private static Optional<TlsFiles> tls(ConfigCheck check, GrpcServerConfig c) {
        String cert = trim(c.tls_cert__file());
        String key = trim(c.tls_key__file());
        String ca = trim(c.tls_client__ca__file());
        if (cert.isEmpty() && key.isEmpty()) {
            if (!ca.isEmpty()) {
                throw check.invalid("tls.client_ca_file", ca, "needs tls.cert_file and tls.key_file too: mutual TLS"
                    + " is TLS first");
            }
            return Optional.empty();
        }
        if (cert.isEmpty()) {
            throw check.invalid("tls.cert_file", cert, "is empty while tls.key_file is set; set both, or neither"
                + " for plaintext");
        }
        if (key.isEmpty()) {
            throw check.invalid("tls.key_file", key, "is empty while tls.cert_file is set; set both, or neither"
                + " for plaintext");
        }
        return Optional.of(new TlsFiles(check.readableFile("tls.cert_file", cert),
            check.readableFile("tls.key_file", key),
            ca.isEmpty() ? Optional.empty() : Optional.of(check.readableFile("tls.client_ca_file", ca))));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    String describe() {
        String security = tls.map(t -> t.clientCa().isPresent() ? "mutual TLS" : "TLS").orElse("plaintext")
            + (token.isEmpty() ? ", no token" : ", bearer token");
        return address.getAddress().getHostAddress() + ":" + address.getPort() + " (" + security + ")";
    }

    @Override
    public String toString() {
        return "ServerSettings[enabled=" + enabled + ", address=" + address + ", token="
            + (token.isEmpty() ? "none" : "<redacted>") + ", tls=" + tls + ", allowInsecure=" + allowInsecure
            + ", shutdownGrace=" + shutdownGrace + "]";
    }
}
