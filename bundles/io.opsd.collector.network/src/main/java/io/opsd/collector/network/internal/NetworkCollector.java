package io.opsd.collector.network.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.collector.Collector;
import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.collector.CollectorService;
import io.opsd.api.collector.MetricSet;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.host.HostInfo;

/**
 * Network: the cumulative counters of the interfaces from {@code /proc/net/dev}, and the bytes received and sent
 * since the previous collection from the difference of the counters (never a blocking sample). The Manager's
 * contract keys count every interface, loopback and containers included, as the old daemon did; the selected
 * interfaces (configuration {@code interfaces} and {@code exclude_interfaces}) have the per-interface series on
 * /metrics, the per-interface rates and the {@code selected_*} keys.
 */
@Component(configurationPid = "io.opsd.collector.network", service = Collector.class)
@CollectorService(name = "network")
@Designate(ocd = NetworkCollectorConfig.class)
public final class NetworkCollector implements Collector {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkCollector.class);

    private final Path netDevFile;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;
    private final TrafficDeltas deltas = new TrafficDeltas();
    private volatile NetworkSettings settings;

    @Activate
    public NetworkCollector(@Reference(name = "host") HostInfo host, NetworkCollectorConfig config,
                            Map<String, Object> props) {
        this(host.proc(), System::nanoTime, NetworkSettings.of(config, props));
        CollectorSchedule.of(props); // the engine's to read; checked here so that a bad value fails the activation
    }

    NetworkCollector(Path proc, LongSupplier nanoClock, NetworkSettings settings) {
        this(proc, nanoClock, Instant::now, settings);
    }

    /**
     * @param nanoClock monotonic nanoseconds, the only time rates are computed from
     * @param wallClock the time stamped on each sample, which may jump when the system clock is set
     */
    NetworkCollector(Path proc, LongSupplier nanoClock, Supplier<Instant> wallClock, NetworkSettings settings) {
        this.netDevFile = proc.resolve("net/dev");
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.settings = settings;
    }

    @Modified
    void modified(NetworkCollectorConfig config, Map<String, Object> props) {
        try {
            settings = NetworkSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the collector keeps its previous settings", e.getMessage());
        }
    }

    @Override
    public MetricSet collect() throws IOException {
        List<InterfaceCounters> all = NetDev.parse(read(netDevFile));
        long nanos = nanoClock.getAsLong();
        InterfaceFilter filter = settings.filter();
        List<InterfaceCounters> selected = all.stream().filter(c -> filter.includes(c.name())).toList();
        MetricSet.Builder set = MetricSet.builder("network", wallClock.get());
        InterfaceTotals total = InterfaceTotals.of(all);
        set.value("bytes_sent", total.sentBytes()).value("bytes_recv", total.receivedBytes())
            .value("packets_sent", total.sentPackets()).value("packets_recv", total.receivedPackets())
            .value("error_in", total.receiveErrors()).value("error_out", total.sendErrors())
            .value("drop_in", total.receiveDrops()).value("drop_out", total.sendDrops())
            .value("interface_count", total.interfaces());
        InterfaceTotals selectedTotal = InterfaceTotals.of(selected);
        set.value("selected_interface_count", selectedTotal.interfaces())
            .value("selected_bytes_recv", selectedTotal.receivedBytes())
            .value("selected_bytes_sent", selectedTotal.sentBytes());
        for (InterfaceCounters c : selected) {
            String name = c.name();
            set.counter("receive_bytes_total", "Bytes received by the interface", c.receivedBytes(), "interface", name)
                .counter("transmit_bytes_total", "Bytes sent by the interface", c.sentBytes(), "interface", name)
                .counter("receive_packets_total", "Packets received by the interface", c.receivedPackets(),
                    "interface", name)
                .counter("transmit_packets_total", "Packets sent by the interface", c.sentPackets(),
                    "interface", name)
                .counter("receive_errors_total", "Receive errors of the interface", c.receiveErrors(),
                    "interface", name)
                .counter("transmit_errors_total", "Send errors of the interface", c.sendErrors(), "interface", name)
                .counter("receive_drops_total", "Received packets the interface dropped", c.receiveDrops(),
                    "interface", name)
                .counter("transmit_drops_total", "Packets to send the interface dropped", c.sendDrops(),
                    "interface", name);
        }
        TrafficDeltas.Interval interval = deltas.update(nanos, all);
        if (interval != null) {
            addInterval(set, interval, filter);
        }
        return set.build();
    }

    private static void addInterval(MetricSet.Builder set, TrafficDeltas.Interval interval, InterfaceFilter filter) {
        set.value("interval_seconds", interval.seconds());
        Map<String, Long> received = selected(interval.receivedBytes(), filter);
        Map<String, Long> sent = selected(interval.sentBytes(), filter);
        if (!interval.receivedBytes().isEmpty()) {
            set.value("rx_bytes", sum(interval.receivedBytes()));
        }
        if (!interval.sentBytes().isEmpty()) {
            set.value("tx_bytes", sum(interval.sentBytes()));
        }
        if (!received.isEmpty()) {
            set.value("selected_rx_bytes", sum(received));
        }
        if (!sent.isEmpty()) {
            set.value("selected_tx_bytes", sum(sent));
        }
        received.forEach((name, bytes) -> {
            double rate = bytes / interval.seconds();
            set.value("network." + name + ".rx_bytes_per_second", rate)
                .gauge("receive_bytes_per_second", "Bytes received per second over the last interval", rate,
                    "interface", name);
        });
        sent.forEach((name, bytes) -> {
            double rate = bytes / interval.seconds();
            set.value("network." + name + ".tx_bytes_per_second", rate)
                .gauge("transmit_bytes_per_second", "Bytes sent per second over the last interval", rate,
                    "interface", name);
        });
    }

    private static Map<String, Long> selected(Map<String, Long> bytesByInterface, InterfaceFilter filter) {
        Map<String, Long> selected = new LinkedHashMap<>();
        bytesByInterface.forEach((name, bytes) -> {
            if (filter.includes(name)) {
                selected.put(name, bytes);
            }
        });
        return selected;
    }

    private static long sum(Map<String, Long> bytesByInterface) {
        long sum = 0;
        for (long bytes : bytesByInterface.values()) {
            sum += bytes;
        }
        return sum;
    }

    // new String(bytes) replaces bytes that are not UTF-8 instead of failing the collection
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
