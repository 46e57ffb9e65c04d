package io.opsd.collector.network.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InterfaceFilterTest {

    private static final List<String> NAMES = List.of("lo", "eth0", "ens3", "wlan0", "bond0", "veth1a2b", "docker0",
        "br-3f2a", "virbr0", "cni0", "flannel.1", "cali12ab", "vxlan.calico", "kube-ipvs0", "tun0", "tap0", "weave",
        "podman0");

    private static List<String> included(Map<String, Object> values) {
        InterfaceFilter filter = NetworkSettingsTest.settings(values).filter();
        return NAMES.stream().filter(filter::includes).toList();
    }

    @Test
    void theDefaultsLeaveOutLoopbackAndVirtualInterfaces() {
        assertEquals(List.of("eth0", "ens3", "wlan0", "bond0"), included(Map.of()));
    }

    @Test
    void listedInterfacesAndPrefixesNarrowTheChoice() {
        assertEquals(List.of("eth0", "ens3"), included(Map.of("interfaces", "eth0,ens*")));
        assertEquals(List.of("ens3"), included(Map.of("interfaces", "e*", "exclude_interfaces", "eth*")));
    }

    @Test
    void anInterfaceListedByItsExactNameIsReportedEvenWhenExcluded() {
        assertEquals(List.of("lo", "eth0"), included(Map.of("interfaces", "lo,eth0")));
        assertEquals(List.of(), included(Map.of("interfaces", "veth*")), "a listed prefix does not override");
    }

    @Test
    void anEmptyExcludeListReportsEverything() {
        assertEquals(NAMES, included(Map.of("exclude_interfaces", "")));
    }
}
