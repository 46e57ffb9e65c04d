package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.admin.ConfigurationAdministration;
import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.text.TextTable;

/**
 * {@code opsd:config [pid]}: every configuration with where its values come from (the file in runtime-config/, the
 * admin layer the Manager wrote, or both), or one configuration's effective values, secrets shown as {@code ***}.
 * Read only: changes go through the files, {@code config:edit} on Karaf, or NodeAdmin (audited).
 */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=config"})
public final class ConfigCommand extends OpsdCommand {

    static final String[] LIST_HEADER = {"PID", "SOURCE", "KEYS"};
    static final String[] PID_HEADER = {"KEY", "VALUE"};

    private final ConfigurationAdministration configurations;

    @Activate
    public ConfigCommand(@Reference ConfigurationAdministration configurations) {
        this.configurations = configurations;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        if (args.size() > 1) {
            throw new CommandFailure("usage: config [pid]");
        }
        if (args.isEmpty()) {
            TextTable table = new TextTable(LIST_HEADER);
            for (ConfigurationView c : configurations.configurations("")) {
                table.row(c.pid(), c.source(), c.properties().size());
            }
            table.print(out);
            return;
        }
        String pid = args.get(0);
        ConfigurationView view = configurations.configurations(pid).stream().filter(c -> c.pid().equals(pid))
            .findFirst().orElseThrow(() -> new CommandFailure("no configuration \"" + pid + "\""));
        out.println(view.pid() + " (" + view.source() + ")");
        TextTable table = new TextTable(PID_HEADER);
        Map<String, String> sorted = new TreeMap<>(view.properties());
        sorted.forEach(table::row);
        table.print(out);
    }
}
