package io.opsd.manager.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Whether the Manager can call the node back: it dials the address the node registers, on the port the node
 * advertises; a server bound to another address (loopback, by default) is not reached there.
 */
final class CallbackReach {

    private CallbackReach() {
    }

    /**
     * What is wrong, or empty: {@code registered} is the IP the node registers, {@code endpoint} the
     * {@code host:port} a server listens on ({@code [v6]:port} accepted), {@code name} the server's name.
     */
    static Optional<String> problem(String name, String registered, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || registered == null || registered.isBlank()) {
            return Optional.empty();
        }
        String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
        if (!isLiteral(host) || !isLiteral(registered)) {
            return Optional.empty(); // a name would need a look-up; only addresses are compared
        }
        try {
            InetAddress bound = InetAddress.getByName(host);
            InetAddress target = InetAddress.getByName(registered);
            if (bound.isAnyLocalAddress() || bound.equals(target)) {
                return Optional.empty();
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.of("the Manager calls this node back at " + registered + endpoint.substring(colon) + ", but "
            + name + " listens on " + endpoint + " only: the Manager cannot operate this node. Set bind (with TLS or"
            + " a token) in io.opsd." + name + ".server, or advertise_address in io.opsd.node, so they agree");
    }

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
