package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricsView;

/**
 * {@code opsd:metrics [collector]}: the latest values of one collector as {@code key = value}, sorted by key, or of
 * every collector, each under its name with the values indented.
 */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=metrics"})
public final class MetricsCommand extends OpsdCommand {

    private final MetricsView metrics;

    @Activate
    public MetricsCommand(@Reference MetricsView metrics) {
        this.metrics = metrics;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        if (args.size() > 1) {
            throw new CommandFailure("usage: metrics [collector]");
        }
        if (args.size() == 1) {
            String name = args.get(0);
            CollectorStatus status = metrics.collector(name)
                .orElseThrow(() -> new CommandFailure("no collector \"" + name + "\""));
            values(status, "").forEach(out::println);
            return;
        }
        Map<String, CollectorStatus> all = metrics.collectors();
        if (all.isEmpty()) {
            out.println("no collectors running");
            return;
        }
        new TreeMap<>(all).forEach((name, status) -> {
            out.println(name);
            values(status, "  ").forEach(out::println);
        });
    }

    /** {@code key = value} lines of the latest sample, keys sorted and the {@code =} aligned. */
    static List<String> values(CollectorStatus status, String indent) {
        if (status.latest().isEmpty()) {
            return List.of(indent + "no sample yet");
        }
        Map<String, Double> sorted = new TreeMap<>(status.latest().get().values());
        int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
        return sorted.entrySet().stream()
            .map(e -> indent + e.getKey() + " ".repeat(width - e.getKey().length()) + " = "
                + Formats.number(e.getValue()))
            .toList();
    }
}
