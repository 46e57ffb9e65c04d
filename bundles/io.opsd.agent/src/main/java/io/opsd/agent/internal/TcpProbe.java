package io.opsd.agent.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code health.tcp_address} probe: healthy when a connection to {@code host:port} opens within the timeout.
 * The connection is closed at once, without sending anything. An IPv6 address goes in brackets: {@code [::1]:9100}.
 * The host name is resolved on every probe (so a changed DNS record is followed) by the system resolver, whose own
 * timeouts bound that step.
 */
final class TcpProbe {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private final String host;
    private final int port;
    private final String address;
    private final Duration timeout;

    TcpProbe(String address, Duration timeout) {
        Objects.requireNonNull(address, "address");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the TCP probe timeout must be positive, not " + timeout);
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("the health address '" + address + "' must be host:port");
        }
        this.host = validHost(address, address.substring(0, colon));
        this.port = validPort(address, address.substring(colon + 1));
        this.address = host + ":" + port;
    }

    /** The address in its {@code host:port} form, IPv6 hosts in brackets. */
    String address() {
        return address;
    }

    Duration timeout() {
        return timeout;
    }

    /** Opens a connection and closes it again. */
    ProbeResult probe() {
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            return ProbeResult.failed("cannot resolve host " + host);
        }
        // Socket.connect takes whole milliseconds, and 0 would mean no timeout at all
        int connectMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(target, connectMillis);
            return ProbeResult.ok("connection opened to " + address);
        } catch (SocketTimeoutException e) {
            return ProbeResult.failed("no answer from " + address + " within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            if (e.getMessage() == null || e.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
                return ProbeResult.failed("connection refused by " + address);
            }
            return ProbeResult.failed("cannot connect to " + address + ": " + e.getMessage());
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return ProbeResult.failed("cannot connect to " + address + ": " + why);
        }
    }

    private static String validHost(String address, String host) {
        if (host.startsWith("[")) {
            try {
                // a bracketed literal is parsed, never looked up, so this cannot block
                InetAddress.getByName(host);
                return host;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("the health address '" + address
                    + "' has an invalid IPv6 address in brackets", e);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the health address '" + address + "' has no host before the port");
        }
        if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the health address '" + address
                + "' needs its IPv6 address in brackets, as in [::1]:9100");
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("the health address '" + address
                + "' does not start with a valid host name or address");
        }
        return host;
    }

    private static int validPort(String address, String port) {
        int number = PORT.matcher(port).matches() ? Integer.parseInt(port) : -1;
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("the health address '" + address
                + "' must end with a port from 1 to 65535");
        }
        return number;
    }
}
