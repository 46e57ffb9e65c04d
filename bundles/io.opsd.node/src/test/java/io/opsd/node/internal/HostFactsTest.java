package io.opsd.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HostFactsTest {

    @Test
    void theDefaultRouteWithTheLowestMetricWins() {
        List<String> table = List.of(
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
            "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            "eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0",
            "down0\t00000000\t0100000A\t0002\t0\t0\t1\t00000000\t0\t0\t0");
        assertEquals(Optional.of("eth0"), HostFacts.defaultRouteInterface(table));
        assertEquals(Optional.empty(), HostFacts.defaultRouteInterface(table.subList(0, 1)));
        assertEquals(Optional.empty(), HostFacts.defaultRouteInterface(List.of()));
    }

    @Test
    void goSpellingOfOsAndArch() {
        assertFalse(HostFacts.os().isEmpty());
        assertFalse(List.of("x86_64", "aarch64").contains(HostFacts.arch()));
    }

    @Test
    void thePrimaryAddressIsAnIpLiteralAndNeverAWildcard() throws Exception {
        String address = new HostFacts(Path.of("/proc")).primaryAddress();
        InetAddress parsed = InetAddress.getByName(address);
        assertFalse(parsed.isAnyLocalAddress());
        assertEquals(parsed.getHostAddress(), address);
    }
}
