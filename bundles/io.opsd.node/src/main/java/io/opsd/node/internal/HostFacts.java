package io.opsd.node.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the host is: name, OS and architecture in Go's spelling, and its primary address. */
final class HostFacts {

    /** Interfaces that never carry the node's own address: containers, bridges, tunnels of overlays. */
    private static final Pattern VIRTUAL_INTERFACE =
        Pattern.compile("(lo|docker|veth|br-|virbr|cni|flannel|cali|vxlan|tun|tap|kube|weave|podman).*");

    private final Path procRoot;

    HostFacts(Path procRoot) {
        this.procRoot = procRoot;
    }

    String hostname() {
        try {
            // readAllLines, not readString: the JDK misreads some /proc/sys files whose size shows as 0
            String name = String.join("", Files.readAllLines(procRoot.resolve("sys/kernel/hostname"), StandardCharsets.UTF_8)).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux: fall through to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String os() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac")) {
            return "darwin";
        }
        if (name.startsWith("windows")) {
            return "windows";
        }
        return name.replace(' ', '_');
    }

    static String arch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "arm", "armv7l" -> "arm";
            default -> arch;
        };
    }

    /**
     * The primary address: the first IPv4 address of the default route's interface, else the first global
     * address of any up, non-virtual interface (IPv4 before IPv6), else the loopback address.
     */
    String primaryAddress() {
        List<NetworkInterface> candidates = new ArrayList<>();
        defaultRouteInterface().ifPresent(name -> {
            try {
                NetworkInterface nif = NetworkInterface.getByName(name);
                if (nif != null) {
                    candidates.add(nif);
                }
            } catch (SocketException e) {
                // use the enumeration below
            }
        });
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && !nif.isLoopback() && !VIRTUAL_INTERFACE.matcher(nif.getName()).matches()) {
                    candidates.add(nif);
                }
            }
        } catch (SocketException e) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
        for (Class<? extends InetAddress> family : List.of(Inet4Address.class, Inet6Address.class)) {
            for (NetworkInterface nif : candidates) {
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (family.isInstance(address) && usable(address)) {
                        return address.getHostAddress().replaceFirst("%.*$", "");
                    }
                }
            }
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    private static boolean usable(InetAddress address) {
        return !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isAnyLocalAddress()
            && !address.isMulticastAddress();
    }

    /** The interface of the IPv4 default route, from {@code /proc/net/route}. */
    Optional<String> defaultRouteInterface() {
        try {
            return defaultRouteInterface(Files.readAllLines(procRoot.resolve("net/route"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> defaultRouteInterface(List<String> routeTable) {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : routeTable.subList(Math.min(1, routeTable.size()), routeTable.size())) {
            String[] f = line.trim().split("\\s+");
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; RTF_UP = 1
            if (f.length >= 8 && "00000000".equals(f[1]) && "00000000".equals(f[7])) {
                try {
                    boolean up = (Integer.parseInt(f[3], 16) & 1) != 0;
                    long metric = Long.parseLong(f[6]);
                    if (up && metric < bestMetric) {
                        best = f[0];
                        bestMetric = metric;
                    }
                } catch (NumberFormatException e) {
                    // a malformed line is skipped
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
