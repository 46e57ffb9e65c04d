package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;
import io.opsd.api.text.TextTable;
import io.opsd.health.Readiness;
import io.opsd.health.ReadinessProblem;
import io.opsd.health.ReadinessReport;

/**
 * {@code opsd:status}: the node, whether it is ready, then every opsd bundle or component that is not doing its job
 * and why. The reading is {@code /ready}'s (the {@link Readiness} service): a row that does not make the node unready
 * (an agent's refused configuration) is marked {@code rejected}, as {@code /ready} lists it.
 */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=status"})
public final class StatusCommand extends OpsdCommand {

    static final String[] HEADER = {"COMPONENT", "STATE", "READINESS", "WHY"};
    private static final String CAUSED_BY = "Caused by: ";
    /** {@code some.package.SomeException: message}: group 1 is the message. */
    private static final Pattern THROWABLE =
        Pattern.compile("(?:[A-Za-z_$][\\w$]*\\.)+[\\w$]*(?:Exception|Error|Throwable)(?::(.*))?");

    // both optional: the status must work, and say so, when io.opsd.node or io.opsd.health is what is broken
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeIdentity node;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Readiness readiness;

    public StatusCommand() {
    }

    StatusCommand(NodeIdentity node, Readiness readiness) {
        this.node = node;
        this.readiness = readiness;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        expectArgs(args, 0, "status");
        NodeIdentity identity = node;
        NodeInfo info = identity == null ? null : identity.snapshot();
        TextTable head = new TextTable("node id", info == null ? "- (no NodeIdentity service: io.opsd.node)"
            : info.nodeId());
        head.row("hostname", info == null ? "-" : info.hostname());
        head.row("address", info == null ? "-" : info.address());
        head.row("version", info == null ? "-" : info.opsdVersion());
        Readiness check = readiness;
        if (check == null) {
            head.row("components", "-");
            head.row("ready", "- (no Readiness service: io.opsd.health)");
            head.print(out);
            return;
        }
        ReadinessReport report = check.check();
        int problems = report.notReady().size() + report.rejected().size();
        head.row("components", report.components() + (problems == 0 ? " (all active)" : " (" + problems
            + " not active)"));
        head.row("ready", verdict(report));
        head.print(out);
        if (problems > 0) {
            TextTable table = new TextTable(HEADER);
            report.notReady().forEach(p -> table.row(name(p), p.state(), "not ready", why(p)));
            report.rejected().forEach(p -> table.row(name(p), p.state(), "rejected", why(p)));
            table.print(out);
        }
    }

    /** {@code yes}, {@code yes (1 rejected)}, {@code no (2 not ready, 1 rejected)}. */
    static String verdict(ReadinessReport report) {
        List<String> counts = new ArrayList<>();
        if (!report.notReady().isEmpty()) {
            counts.add(report.notReady().size() + " not ready");
        }
        if (!report.rejected().isEmpty()) {
            counts.add(report.rejected().size() + " rejected");
        }
        return (report.ready() ? "yes" : "no") + (counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")");
    }

    /** The component, with its configuration when it has its own (an agent: io.opsd.agent~filebeat); or the bundle. */
    private static String name(ReadinessProblem p) {
        if (p.component().isEmpty()) {
            return p.bundle();
        }
        return p.configuration().isEmpty() ? p.component() : p.component() + " (" + p.configuration() + ")";
    }

    private static String why(ReadinessProblem p) {
        return "failed activation".equals(p.state()) ? message(p.detail()) : p.detail();
    }

    /**
     * Why the activation failed, in one line. SCR keeps the whole stack trace, whose first line is often only
     * {@code java.lang.reflect.InvocationTargetException} from the constructor call: the message of the deepest
     * cause is the one written for the operator.
     */
    static String reason(String failure) {
        if (failure == null) {
            return "";
        }
        String line = null;
        for (String l : failure.split("\\R")) {
            String text = l.strip();
            if (line == null && !text.isEmpty()) {
                line = text;
            } else if (text.startsWith(CAUSED_BY)) {
                line = text.substring(CAUSED_BY.length());
            }
        }
        return line == null ? "" : message(line);
    }

    /** The message of a {@code some.package.SomeException: message} line, or the line when it has none. */
    static String message(String throwable) {
        Matcher m = THROWABLE.matcher(throwable);
        return m.matches() && m.group(1) != null && !m.group(1).isBlank() ? m.group(1).strip() : throwable;
    }

    static String firstLine(String failure) {
        if (failure == null) {
            return "";
        }
        int nl = failure.indexOf('\n');
        return (nl < 0 ? failure : failure.substring(0, nl)).trim();
    }
}
