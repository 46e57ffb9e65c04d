package io.opsd.launcher.migrate;

import java.util.Locale;
import java.util.Optional;

/**
 * The gRPC DaemonService. The old daemon listened on every interface on {@code daemon.grpc_port} (default 9091),
 * plaintext and without a token, and the Manager dials {@code <registered ip>:<port>}. With a Manager on another
 * machine, the converted node listens the same way ({@code bind = 0.0.0.0}, {@code allow_insecure = true}); with
 * none, or one on this machine, nothing that calls the node needs more than loopback, so it keeps opsd's loopback
 * bind and the file shows the line that opens it.
 */
final class GrpcMigration {

    static final String OLD_PORT = "9091";

    private final Conversion c;

    GrpcMigration(Conversion c) {
        this.c = c;
    }

    /** {@code port}: {@code daemon.grpc_port} if set; {@code manager}: the enabled Manager's address, if any. */
    void convert(Optional<YamlMap.Entry> port, String portPath, Optional<String> manager) {
        String p = port.flatMap(e -> c.values().integer(e, 1, 65535)).orElse(OLD_PORT);
        CfgFile f = c.file("io.opsd.grpc.server", "the gRPC DaemonService the Manager calls");
        Optional<String> remote = manager.filter(a -> !isLoopback(a));
        if (remote.isPresent()) {
            f.set("bind", "0.0.0.0", "Every interface, as the old daemon listened, so the Manager at " + remote.get()
                + "\ncan call this node back on the address it registers. Without TLS or a token, anyone who can reach"
                + " this port can start and stop agents\n(contracts.md §6 row 1).");
            f.set("port", p);
            f.set("allow_insecure", "true", "Plaintext without a token, as the old daemon (opsd logs a warning at every"
                + " start). To close it: set tls.cert_file\nand tls.key_file (and tls.client_ca_file), or token, once"
                + " the Manager uses them; then write allow_insecure = false.");
            f.keptAsOld("the DaemonService listens on every interface, port " + p + ", plaintext, without a token");
            f.differs("the node registers its real IP (the old daemon sent 127.0.0.1), so the Manager can call it");
            c.warnings().warn(portPath, "= " + p + " is carried over listening on every interface (bind = 0.0.0.0)"
                + " without TLS or a token (allow_insecure = true), as the old daemon did, so the Manager at "
                + remote.get() + " can call this node: anyone who can reach the port can start and stop agents; set"
                + " tls.* or token in io.opsd.grpc.server.cfg as soon as the Manager can use them");
            return;
        }
        f.set("port", p);
        f.suggest("bind", "0.0.0.0", "opsd listens on 127.0.0.1 (its default); the old daemon listened on every"
            + " interface, without TLS or a token.\n" + (manager.isPresent() ? "The Manager runs on this machine ("
                + manager.get() + ") and" : "There is no Manager, and") + " nothing else that calls the node needs"
            + " more. For other machines to call it\n(daemonctl from elsewhere), set tls.* or token, then remove the"
            + " '#' below (or also write allow_insecure = true\nfor the old daemon's plaintext).");
        f.differs("the DaemonService listens on 127.0.0.1 only (the old daemon: every interface)");
        c.warnings().warn(portPath, "= " + p + " listens on 127.0.0.1 only: the old daemon listened on every"
            + " interface, but " + (manager.isPresent() ? "the Manager runs on this machine" : "there is no Manager")
            + "; to let other machines call the node, see bind in io.opsd.grpc.server.cfg");
        manager.ifPresent(a -> {
            CfgFile node = c.file("io.opsd.node", "who this node is to the Manager");
            node.set("advertise_address", "127.0.0.1", "The address the Manager calls back: 127.0.0.1, as the old"
                + " daemon registered, for the Manager on this\nmachine (" + a + ").");
            node.keptAsOld("the node registers the IP 127.0.0.1, as the old daemon did");
        });
    }

    /** True for localhost and loopback literals; a name is not resolved (the import runs anywhere). */
    static boolean isLoopback(String address) {
        String host = address.trim().toLowerCase(Locale.ROOT);
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host.substring(1) : host.substring(1, end);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
            || host.equals("ip6-localhost");
    }
}
