package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;

/**
 * {@code opsd:status}: the node, then every opsd component that is not doing its job and why, from SCR's runtime
 * DTOs (the same reading as {@code /ready}). Satisfied delayed services count as active: they are registered and
 * are created on first use. A factory component waiting for its first configuration (an agent) is not listed.
 */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=status"})
public final class StatusCommand extends OpsdCommand {

    static final String OPSD_PREFIX = "io.opsd.";
    private static final String CAUSED_BY = "Caused by: ";
    /** {@code some.package.SomeException: message}: group 1 is the message. */
    private static final Pattern THROWABLE =
        Pattern.compile("(?:[A-Za-z_$][\\w$]*\\.)+[\\w$]*(?:Exception|Error|Throwable)(?::(.*))?");

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    // optional: the status must work, and say so, when io.opsd.node is what is broken
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeIdentity node;

    @Activate
    public StatusCommand(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    record Problem(String name, String state, String why) {
    }

    @Override
    void run(List<String> args, PrintStream out) {
        expectArgs(args, 0, "status");
        NodeIdentity identity = node;
        NodeInfo info = identity == null ? null : identity.snapshot();
        TableWriter head = new TableWriter("node id", info == null ? "- (no NodeIdentity service: io.opsd.node)"
            : info.nodeId());
        head.row("hostname", info == null ? "-" : info.hostname());
        head.row("address", info == null ? "-" : info.address());
        head.row("version", info == null ? "-" : info.opsdVersion());
        List<Problem> problems = new ArrayList<>();
        int components = problems(problems);
        head.row("components", components + (problems.isEmpty() ? " (all active)"
            : " (" + problems.size() + " not active)"));
        head.print(out);
        if (!problems.isEmpty()) {
            TableWriter table = new TableWriter("COMPONENT", "STATE", "WHY");
            problems.forEach(p -> table.row(p.name(), p.state(), p.why()));
            table.print(out);
        }
    }

    /** Adds what is not active to {@code problems}; returns how many component configurations there are. */
    int problems(List<Problem> problems) {
        List<Bundle> opsd = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String bsn = bundle.getSymbolicName();
            if (bsn == null || !bsn.startsWith(OPSD_PREFIX) || isFragment(bundle)) {
                continue;
            }
            opsd.add(bundle);
            if (bundle.getState() != Bundle.ACTIVE) {
                problems.add(new Problem(bsn, "bundle " + bundleState(bundle.getState()), "bundle is not active"));
            }
        }
        int count = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(opsd.toArray(new Bundle[0]))) {
            if (!scr.isComponentEnabled(d)) {
                problems.add(new Problem(d.name, "disabled", "component is disabled"));
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(d);
            if (configurations.isEmpty() && !"require".equals(d.configurationPolicy)) {
                problems.add(new Problem(d.name, "inactive", "no component configuration"));
            }
            for (ComponentConfigurationDTO c : configurations) {
                count++;
                String name = name(d, c);
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> problems.add(
                        new Problem(name, "unsatisfied reference", missing(c.unsatisfiedReferences)));
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> problems.add(new Problem(name,
                        "unsatisfied configuration", "waiting for configuration " + String.join(", ",
                            d.configurationPid)));
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> problems.add(
                        new Problem(name, "failed activation", reason(c.failure)));
                    default -> problems.add(new Problem(name, "state " + c.state, ""));
                }
            }
        }
        return count;
    }

    /** The component name, with the configuration's PID when it has its own (an agent: io.opsd.agent~filebeat). */
    private static String name(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        Object pid = c.properties == null ? null : c.properties.get("service.pid");
        return pid == null || pid.equals(d.name) ? d.name : d.name + " (" + pid + ")";
    }

    private static String missing(UnsatisfiedReferenceDTO[] references) {
        if (references == null || references.length == 0) {
            return "";
        }
        return "missing " + Arrays.stream(references)
            .map(r -> r.target == null ? r.name : r.name + " " + r.target)
            .collect(Collectors.joining(", "));
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
        if (line == null) {
            return "";
        }
        Matcher m = THROWABLE.matcher(line);
        return m.matches() && m.group(1) != null && !m.group(1).isBlank() ? m.group(1).strip() : line;
    }

    static String firstLine(String failure) {
        if (failure == null) {
            return "";
        }
        int nl = failure.indexOf('\n');
        return (nl < 0 ? failure : failure.substring(0, nl)).trim();
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String bundleState(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.UNINSTALLED -> "uninstalled";
            default -> "active";
        };
    }
}
