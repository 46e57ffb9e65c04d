package io.opsd.collector.network.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.collector.MetricSet;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.host.HostInfo;

class NetworkCollectorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String HEADER = """
        Inter-|   Receive                                          |  Transmit
         face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed
        """;

    @TempDir
    Path proc;

    private final AtomicLong nanos = new AtomicLong(7 * SECOND);
    private NetworkCollector collector;

    @BeforeEach
    void proc() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        collector = new NetworkCollector(proc, nanos::get, NetworkSettingsTest.settings(Map.of()));
    }

    private void netDev(String... lines) throws IOException {
        Files.writeString(proc.resolve("net/dev"), HEADER + String.join("\n", lines) + "\n");
    }

    /** One interface: bytes and packets each way, errors and drops receiving and sending. */
    private static String line(String name, long rxBytes, long rxPackets, long txBytes, long txPackets) {
        return String.format("%6s: %d %d 1 2 0 0 0 0 %d %d 3 4 0 0 0 0", name, rxBytes, rxPackets, txBytes,
            txPackets);
    }

    private static List<String> interfaces(MetricSet set, String sample) {
        return set.samples().stream().filter(s -> s.name().equals(sample)).map(s -> s.labels().get("interface"))
            .toList();
    }

    @Test
    void theFirstCollectionHasCumulativeSumsOfEveryInterfaceButNoDeltas() throws IOException {
        netDev(line("lo", 9_000, 90, 9_000, 90), line("eth0", 1_000, 10, 2_000, 20),
            line("docker0", 5_000, 50, 5_000, 50), line("veth1a2b", 6_000, 60, 6_000, 60),
            line("br-3f2a", 7_000, 70, 7_000, 70), line("eth1", 300, 3, 400, 4));
        MetricSet set = collector.collect();
        Map<String, Double> v = set.values();

        // the Manager's totals count all six, as the old daemon did; each line has 1 2 receive and 3 4 send errors
        // and drops
        assertEquals(6.0, v.get("interface_count"));
        assertEquals(9_000.0 + 1_000 + 5_000 + 6_000 + 7_000 + 300, v.get("bytes_recv"));
        assertEquals(9_000.0 + 2_000 + 5_000 + 6_000 + 7_000 + 400, v.get("bytes_sent"));
        assertEquals(90.0 + 10 + 50 + 60 + 70 + 3, v.get("packets_recv"));
        assertEquals(90.0 + 20 + 50 + 60 + 70 + 4, v.get("packets_sent"));
        assertEquals(6.0, v.get("error_in"));
        assertEquals(18.0, v.get("error_out"));
        assertEquals(12.0, v.get("drop_in"));
        assertEquals(24.0, v.get("drop_out"));
        // the selected interfaces: eth0 and eth1
        assertEquals(2.0, v.get("selected_interface_count"));
        assertEquals(1_300.0, v.get("selected_bytes_recv"));
        assertEquals(2_400.0, v.get("selected_bytes_sent"));
        for (String key : List.of("rx_bytes", "tx_bytes", "selected_rx_bytes", "interval_seconds",
            "network.eth0.rx_bytes_per_second")) {
            assertFalse(v.containsKey(key), key + " on the first collection");
        }
        for (String counter : List.of("receive_bytes_total", "transmit_bytes_total", "receive_packets_total",
            "transmit_packets_total", "receive_errors_total", "transmit_errors_total", "receive_drops_total",
            "transmit_drops_total")) {
            assertEquals(List.of("eth0", "eth1"), interfaces(set, counter), counter);
        }
        assertEquals(List.of(), interfaces(set, "receive_bytes_per_second"));
    }

    @Test
    void theManagersTotalsAreGopsutilsIoCountersOverAllOfProcNetDev() throws IOException {
        Files.writeString(proc.resolve("net/dev"), HEADER + """
                lo: 4087326   41022    0    0    0     0          0         0  4087326   41022    0    0    0     0       0          0
              eth0: 918273645  812345    3   17    0     0          0      1203 123456789  654321    1    2    0     0       0          0
            docker0: 55667788   44556    0    0    0     0          0         0 99887766   55443    0    5    0     0       0          0
            veth3c1d2e: 99887766   55443    0    0    0     0          0         0 55667788   44556    0    0    0     0       0          0
            """);
        Map<String, Double> first = collector.collect().values();
        // net.IOCounters(false) adds up every line: lo + eth0 + docker0 + veth3c1d2e
        assertEquals(4.0, first.get("interface_count"));
        assertEquals(4_087_326.0 + 918_273_645 + 55_667_788 + 99_887_766, first.get("bytes_recv"));
        assertEquals(4_087_326.0 + 123_456_789 + 99_887_766 + 55_667_788, first.get("bytes_sent"));
        assertEquals(41_022.0 + 812_345 + 44_556 + 55_443, first.get("packets_recv"));
        assertEquals(41_022.0 + 654_321 + 55_443 + 44_556, first.get("packets_sent"));
        assertEquals(3.0, first.get("error_in"), "errs, receive");
        assertEquals(1.0, first.get("error_out"), "errs, transmit");
        assertEquals(17.0, first.get("drop_in"), "drop, receive");
        assertEquals(2.0 + 5, first.get("drop_out"), "drop, transmit");
        assertEquals(1.0, first.get("selected_interface_count"), "eth0 only");
        assertEquals(918_273_645.0, first.get("selected_bytes_recv"));

        Files.writeString(proc.resolve("net/dev"), HEADER + """
                lo: 4088326   41032    0    0    0     0          0         0  4088326   41032    0    0    0     0       0          0
              eth0: 918283645  812445    3   17    0     0          0      1203 123458789  654341    1    2    0     0       0          0
            docker0: 55677788   44656    0    0    0     0          0         0 99897766   55543    0    5    0     0       0          0
            veth3c1d2e: 99897766   55543    0    0    0     0          0         0 55677788   44656    0    0    0     0       0          0
            """);
        nanos.addAndGet(10 * SECOND);
        Map<String, Double> second = collector.collect().values();
        // rx_bytes and tx_bytes: the change of those totals since the previous collection
        assertEquals(1_000.0 + 10_000 + 10_000 + 10_000, second.get("rx_bytes"));
        assertEquals(1_000.0 + 2_000 + 10_000 + 10_000, second.get("tx_bytes"));
        assertEquals(10_000.0, second.get("selected_rx_bytes"));
        assertEquals(2_000.0, second.get("selected_tx_bytes"));
        assertEquals(Map.of("network.eth0.rx_bytes_per_second", 1_000.0, "network.eth0.tx_bytes_per_second", 200.0),
            perInterfaceRates(second));
    }

    private static Map<String, Double> perInterfaceRates(Map<String, Double> values) {
        Map<String, Double> rates = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith("network.")) {
                rates.put(key, value);
            }
        });
        return rates;
    }

    @Test
    void deltasArePerInterfaceSoAResetOrA32BitWrapLeavesOutOnlyThatCounter() throws IOException {
        netDev(line("eth0", 1_000, 10, 2_000, 20), line("eth1", 4_294_967_000L, 100, 500, 5),
            line("wlan0", 80_000, 800, 90_000, 900));
        collector.collect();

        // eth1's 32-bit receive counter wrapped; wlan0 was recreated and starts over
        netDev(line("eth0", 1_000 + 3_000, 40, 2_000 + 1_000, 30), line("eth1", 200, 101, 500 + 100, 6),
            line("wlan0", 10, 1, 20, 2));
        nanos.addAndGet(10 * SECOND);
        MetricSet set = collector.collect();
        Map<String, Double> v = set.values();
        assertEquals(10.0, v.get("interval_seconds"));
        assertEquals(3_000.0, v.get("rx_bytes"), "eth0 only");
        assertEquals(1_100.0, v.get("tx_bytes"), "eth0 and eth1");
        assertEquals(300.0, v.get("network.eth0.rx_bytes_per_second"));
        assertEquals(100.0, v.get("network.eth0.tx_bytes_per_second"));
        assertFalse(v.containsKey("network.eth1.rx_bytes_per_second"), v.toString());
        assertEquals(10.0, v.get("network.eth1.tx_bytes_per_second"));
        assertFalse(v.containsKey("network.wlan0.rx_bytes_per_second"));
        assertEquals(List.of("eth0"), interfaces(set, "receive_bytes_per_second"));
        assertEquals(List.of("eth0", "eth1"), interfaces(set, "transmit_bytes_per_second"));

        netDev(line("eth0", 4_000 + 500, 41, 3_000 + 500, 31), line("eth1", 200 + 50, 102, 600 + 50, 7),
            line("wlan0", 10 + 1_000, 2, 20 + 1_000, 3));
        nanos.addAndGet(5 * SECOND);
        v = collector.collect().values();
        assertEquals(5.0, v.get("interval_seconds"));
        assertEquals(1_550.0, v.get("rx_bytes"));
        assertEquals(1_550.0, v.get("tx_bytes"));
    }

    @Test
    void anInterfaceThatDisappearsLeavesTheSumsAndStartsOverWhenItReturns() throws IOException {
        netDev(line("eth0", 1_000, 10, 1_000, 10), line("eth1", 5_000, 50, 5_000, 50));
        collector.collect();

        netDev(line("eth0", 1_100, 11, 1_200, 12));
        nanos.addAndGet(10 * SECOND);
        Map<String, Double> v = collector.collect().values();
        assertEquals(1.0, v.get("interface_count"));
        assertEquals(1_100.0, v.get("bytes_recv"));
        assertEquals(100.0, v.get("rx_bytes"));
        assertEquals(200.0, v.get("tx_bytes"));

        // eth1 is back with higher counters than before it went: a new interface, not a delta of 9000
        netDev(line("eth0", 1_150, 12, 1_250, 13), line("eth1", 14_000, 140, 14_000, 140));
        nanos.addAndGet(10 * SECOND);
        v = collector.collect().values();
        assertEquals(2.0, v.get("interface_count"));
        assertEquals(50.0, v.get("rx_bytes"));
        assertEquals(50.0, v.get("tx_bytes"));
        assertFalse(v.containsKey("network.eth1.rx_bytes_per_second"));
    }

    @Test
    void withoutAnyComparableCounterThereIsAnIntervalButNoByteDelta() throws IOException {
        netDev(line("eth0", 5_000, 50, 5_000, 50));
        collector.collect();
        netDev(line("eth0", 10, 1, 10, 1));
        nanos.addAndGet(10 * SECOND);
        Map<String, Double> v = collector.collect().values();
        assertEquals(10.0, v.get("interval_seconds"));
        assertFalse(v.containsKey("rx_bytes"), "not a negative delta, and not a misleading zero");
        assertFalse(v.containsKey("tx_bytes"));
    }

    @Test
    void aRejectedEditKeepsThePreviousSettings() throws IOException {
        netDev(line("lo", 9_000, 90, 9_000, 90), line("eth0", 1_000, 10, 2_000, 20));
        Map<String, Object> bad = Map.of("interval", "10s", "interfaces", "lo,eth 0");
        collector.modified(NetworkSettingsTest.config(bad), NetworkSettingsTest.props(bad));
        assertEquals(1.0, collector.collect().values().get("selected_interface_count"));

        Map<String, Object> good = Map.of("interval", "10s", "interfaces", "lo,eth0");
        collector.modified(NetworkSettingsTest.config(good), NetworkSettingsTest.props(good));
        assertEquals(List.of("lo", "eth0"), interfaces(collector.collect(), "receive_bytes_total"));
    }

    @Test
    void theActivateConstructorRefusesABadScheduleAndReadsTheHostsProc() throws IOException {
        HostInfo host = (HostInfo) Proxy.newProxyInstance(HostInfo.class.getClassLoader(),
            new Class<?>[] {HostInfo.class}, (self, method, args) -> method.getName().equals("proc") ? proc : null);
        Map<String, Object> off = Map.of("enabled", "off");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> new NetworkCollector(host, NetworkSettingsTest.config(off), NetworkSettingsTest.props(off)));
        assertTrue(e.getMessage().contains("enabled = \"off\" is not true or false"), e.getMessage());

        netDev(line("eth0", 1_000, 10, 2_000, 20));
        NetworkCollector activated = new NetworkCollector(host, NetworkSettingsTest.config(Map.of()),
            NetworkSettingsTest.props(Map.of()));
        assertEquals(1.0, activated.collect().values().get("interface_count"));
    }

    @Test
    void collectsFromThisMachinesProc() throws IOException {
        NetworkCollector real = new NetworkCollector(Path.of("/proc"), System::nanoTime,
            NetworkSettingsTest.settings(Map.of()));
        Map<String, Double> first = real.collect().values();
        for (String key : List.of("bytes_sent", "bytes_recv", "packets_sent", "packets_recv", "error_in",
            "error_out", "drop_in", "drop_out", "interface_count")) {
            assertNotNull(first.get(key), key + " in " + first);
            assertTrue(first.get(key) >= 0, key + " in " + first);
        }
        assertFalse(first.containsKey("rx_bytes"));
        assertFalse(first.containsKey("interval_seconds"));

        Map<String, Double> second = real.collect().values();
        double interval = second.get("interval_seconds");
        assertTrue(interval > 0 && interval < 60, "interval_seconds " + interval);
        assertTrue(second.get("bytes_recv") >= first.get("bytes_recv"));
        assertTrue(second.get("interface_count") >= second.get("selected_interface_count"), second.toString());
        for (String key : List.of("rx_bytes", "tx_bytes")) {
            assertNotNull(second.get(key), key + " in " + second);
            assertTrue(second.get(key) >= 0 && second.get(key) < 1e12, key + " in " + second);
        }
    }

    @Test
    void ratesStayTrueWhenTheWallClockJumpsAnHourForwardAndBack() throws IOException {
        Instant t0 = Instant.parse("2026-03-29T01:59:55Z");
        AtomicReference<Instant> wall = new AtomicReference<>(t0);
        NetworkCollector jumping = new NetworkCollector(proc, nanos::get, wall::get,
            NetworkSettingsTest.settings(Map.of()));
        netDev(line("eth0", 1_000, 10, 2_000, 20));
        jumping.collect();

        for (Duration jump : List.of(Duration.ofHours(1), Duration.ofHours(-1), Duration.ofHours(-1))) {
            // 10 s pass on the monotonic clock while the system clock is set an hour forward or back
            nanos.addAndGet(10 * SECOND);
            wall.set(wall.get().plus(jump).plusSeconds(10));
            netDev(line("eth0", 1_000 + 5_000, 10, 2_000 + 2_500, 20));
            MetricSet set = jumping.collect();
            Map<String, Double> v = set.values();
            assertEquals(wall.get(), set.time(), "the sample carries the wall time");
            assertEquals(10.0, v.get("interval_seconds"), "jump " + jump);
            assertEquals(500.0, v.get("network.eth0.rx_bytes_per_second"), "jump " + jump);
            assertEquals(250.0, v.get("network.eth0.tx_bytes_per_second"), "jump " + jump);
            for (String key : List.of("network.eth0.rx_bytes_per_second", "network.eth0.tx_bytes_per_second")) {
                assertTrue(Double.isFinite(v.get(key)) && v.get(key) >= 0, key + " = " + v.get(key));
            }
            netDev(line("eth0", 1_000, 10, 2_000, 20));
            nanos.addAndGet(10 * SECOND);
            wall.set(wall.get().plusSeconds(10));
            jumping.collect(); // the counters went back to their first values: no rate, and a new base
        }
    }
}
