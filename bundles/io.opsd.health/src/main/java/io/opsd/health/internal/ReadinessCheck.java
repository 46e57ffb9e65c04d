package io.opsd.health.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.opsd.api.admin.BundleAdministration;

/**
 * Decides whether the node is ready: the framework has reached its beginning start level, every opsd bundle
 * ({@code io.opsd.*}) is active, and every component of those bundles that has what it needs to exist is active
 * (or satisfied, for delayed services not used yet). A factory component waiting for its first configuration,
 * such as an agent, is not a problem: operators create those. A bundle installed through node administration is
 * watched and rolled back by its install, so its problems are reported under "rejected" and the node stays ready.
 */
final class ReadinessCheck {

    static final String OPSD_PREFIX = "io.opsd.";
    /** A component property: a failure of this component is reported under "rejected", not "not_ready". */
    static final String OPTIONAL = "opsd.ready.optional";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    ReadinessCheck(BundleContext context, ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    record Problem(String bundle, String component, String state, String detail) {
    }

    record Report(int bundles, int components, List<Problem> problems, List<Problem> rejected) {
        boolean ready() {
            return problems.isEmpty();
        }
    }

    Report check() {
        List<Problem> problems = new ArrayList<>();
        List<Problem> rejected = new ArrayList<>();
        Bundle system = context.getBundle(0);
        int beginning = beginningStartLevel();
        int level = system.adapt(FrameworkStartLevel.class).getStartLevel();
        if (system.getState() != Bundle.ACTIVE || level < beginning) {
            problems.add(new Problem("system.bundle", "", "starting",
                "framework at start level " + level + " of " + beginning));
        }
        List<Bundle> opsd = new ArrayList<>();
        java.util.Set<Long> administered = new java.util.HashSet<>();
        Bundle[] installed = context.getBundles();
        for (Bundle bundle : installed) {
            String bsn = bundle.getSymbolicName();
            if (bsn == null || isFragment(bundle)) {
                continue;
            }
            boolean admin = bundle.getLocation().startsWith(BundleAdministration.LOCATION_PREFIX);
            if (!admin && !bsn.startsWith(OPSD_PREFIX)) {
                continue;
            }
            opsd.add(bundle);
            if (admin) {
                administered.add(bundle.getBundleId());
            }
            if (bundle.getState() != Bundle.ACTIVE) {
                (admin ? rejected : problems).add(new Problem(bsn, "", bundleState(bundle.getState()),
                    "bundle is not active"));
            }
        }
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(opsd.toArray(new Bundle[0]))) {
            String bsn = description.bundle.symbolicName;
            List<Problem> owner = administered.contains(description.bundle.id) ? rejected : problems;
            if (!scr.isComponentEnabled(description)) {
                owner.add(new Problem(bsn, description.name, "disabled", "component is disabled"));
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty() && !"require".equals(description.configurationPolicy)) {
                owner.add(new Problem(bsn, description.name, "inactive", "no component configuration"));
            }
            // operator data, such as an agent's configuration: a refused one is reported, the node stays ready
            boolean optional = "true".equals(String.valueOf(description.properties.get(OPTIONAL)))
                || administered.contains(description.bundle.id);
            for (ComponentConfigurationDTO c : configurations) {
                components++;
                List<Problem> target = optional ? rejected : problems;
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> target.add(new Problem(bsn,
                        description.name, "unsatisfied reference", unsatisfied(c.unsatisfiedReferences)));
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> target.add(new Problem(bsn,
                        description.name, "unsatisfied configuration",
                        "waiting for configuration " + String.join(", ", description.configurationPid)));
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> target.add(new Problem(bsn,
                        optional ? String.valueOf(c.properties.get("service.pid")) : description.name,
                        "failed activation", c.failure == null ? "" : rootCause(c.failure)));
                    default -> target.add(new Problem(bsn, description.name, "state " + c.state, ""));
                }
            }
        }
        return new Report(installed.length, components, problems, rejected);
    }

    private int beginningStartLevel() {
        String value = context.getProperty("org.osgi.framework.startlevel.beginning");
        try {
            return value == null ? 1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String unsatisfied(UnsatisfiedReferenceDTO[] references) {
        if (references == null || references.length == 0) {
            return "";
        }
        return "missing " + Arrays.stream(references)
            .map(r -> r.name + (r.target == null ? "" : " " + r.target))
            .collect(Collectors.joining(", "));
    }

    /**
     * The root cause of SCR's failure text (a stack trace): its innermost "Caused by:" line, since the first line
     * of a failed activate is only the reflective wrapper (java.lang.reflect.InvocationTargetException).
     */
    static String rootCause(String failure) {
        String line = failure.lines().findFirst().orElse("").trim();
        for (String l : (Iterable<String>) failure.lines()::iterator) {
            String t = l.trim();
            if (t.startsWith("Caused by: ")) {
                line = t.substring("Caused by: ".length());
            }
        }
        return line;
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
