package io.opsd.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricsView;
import io.opsd.api.text.TextTable;

/** {@code opsd:collectors}: every scheduled collector, its interval, the age of its latest sample and its error. */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=collectors"})
public final class CollectorsCommand extends OpsdCommand {

    static final String[] HEADER = {"NAME", "INTERVAL", "LAST", "STALE", "ERROR"};

    private final MetricsView metrics;
    private final Clock clock;

    @Activate
    public CollectorsCommand(@Reference MetricsView metrics) {
        this(metrics, Clock.systemUTC());
    }

    CollectorsCommand(MetricsView metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        expectArgs(args, 0, "collectors");
        if (metrics.collectors().isEmpty()) {
            out.println("no collectors running");
            return;
        }
        Instant now = clock.instant();
        TextTable table = new TextTable(HEADER);
        for (CollectorStatus c : metrics.collectors().values()) {
            table.row(c.name(), c.schedule().enabled() ? Formats.duration(c.schedule().interval()) : "disabled",
                c.age(now).map(age -> Formats.duration(age) + " ago").orElse("-"), c.stale() ? "yes" : "no",
                c.lastError().map(StatusCommand::firstLine).orElse("-"));
        }
        table.print(out);
    }
}
