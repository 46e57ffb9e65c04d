package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.ComponentView;
import io.opsd.api.text.TextTable;

/**
 * {@code opsd:bundles}: every bundle with its origin (core, deploy, admin) and how many of its components run, and
 * the first component that does not, with why: the reading {@code NodeAdmin.ListBundles} gives the Manager.
 */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=bundles"})
public final class BundlesCommand extends OpsdCommand {

    static final String[] HEADER = {"ID", "NAME", "VERSION", "STATE", "ORIGIN", "COMPONENTS", "PROBLEM"};

    private final BundleAdministration bundles;

    @Activate
    public BundlesCommand(@Reference BundleAdministration bundles) {
        this.bundles = bundles;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        expectArgs(args, 0, "bundles");
        TextTable table = new TextTable(HEADER);
        for (BundleView b : bundles.bundles()) {
            List<ComponentView> components = b.components();
            long running = components.stream().filter(BundlesCommand::running).count();
            String problem = components.stream().filter(c -> !running(c) && !"DISABLED".equals(c.state()))
                .findFirst().map(c -> c.name() + ": " + c.state()
                    + (c.failure().isEmpty() ? "" : " (" + StatusCommand.reason(c.failure()) + ")"))
                .orElse("-");
            table.row(b.id(), b.symbolicName(), b.version(), b.state(), b.origin(),
                components.isEmpty() ? "-" : running + "/" + components.size(), problem);
        }
        table.print(out);
    }

    private static boolean running(ComponentView c) {
        return "ACTIVE".equals(c.state()) || "SATISFIED".equals(c.state());
    }
}
