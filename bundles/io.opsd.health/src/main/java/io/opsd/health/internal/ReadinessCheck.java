package io.opsd.health.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.opsd.api.admin.BundleAdministration;
import io.opsd.health.Readiness;
import io.opsd.health.ReadinessProblem;
import io.opsd.health.ReadinessReport;

/**
 * The one reading of the node's readiness (see {@link Readiness}), from the framework's bundles and start level and
 * SCR's runtime DTOs.
 */
@Component(service = Readiness.class)
public final class ReadinessCheck implements Readiness {

    static final String OPSD_PREFIX = "io.opsd.";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    @Activate
    public ReadinessCheck(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public ReadinessReport check() {
        List<ReadinessProblem> notReady = new ArrayList<>();
        List<ReadinessProblem> rejected = new ArrayList<>();
        List<Bundle> opsd = new ArrayList<>();
        Set<Long> administered = new HashSet<>();
        int startLevel = beginningStartLevel();
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
            } else {
                startLevel = Math.max(startLevel, bundle.adapt(BundleStartLevel.class).getStartLevel());
            }
            if (bundle.getState() != Bundle.ACTIVE) {
                (admin ? rejected : notReady).add(new ReadinessProblem(bsn, "", "", bundleState(bundle.getState()),
                    "bundle is not active"));
            }
        }
        startLevelProblem(startLevel).ifPresent(p -> notReady.add(0, p));
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(opsd.toArray(new Bundle[0]))) {
            boolean optional = "true".equals(String.valueOf(description.properties.get(OPTIONAL)))
                || administered.contains(description.bundle.id);
            components += problems(description, optional ? rejected : notReady);
        }
        return new ReadinessReport(installed.length, components, notReady, rejected);
    }

    /**
     * The framework counts as started when it has reached its beginning start level and the start level of every
     * opsd bundle: a launcher may begin at a low level and raise it once the framework runs (bnd's does).
     */
    private Optional<ReadinessProblem> startLevelProblem(int wanted) {
        Bundle system = context.getBundle(0);
        int level = system.adapt(FrameworkStartLevel.class).getStartLevel();
        if (system.getState() == Bundle.ACTIVE && level >= wanted) {
            return Optional.empty();
        }
        return Optional.of(new ReadinessProblem("system.bundle", "", "", "starting",
            "framework at start level " + level + " of " + wanted));
    }

    /** Adds the problems of one component's configurations to {@code problems}; returns how many it has. */
    private int problems(ComponentDescriptionDTO description, List<ReadinessProblem> problems) {
        String bsn = description.bundle.symbolicName;
        if (!scr.isComponentEnabled(description)) {
            problems.add(new ReadinessProblem(bsn, description.name, "", "disabled", "component is disabled"));
            return 0;
        }
        var configurations = scr.getComponentConfigurationDTOs(description);
        if (configurations.isEmpty() && !"require".equals(description.configurationPolicy)) {
            problems.add(new ReadinessProblem(bsn, description.name, "", "inactive", "no component configuration"));
        }
        for (ComponentConfigurationDTO c : configurations) {
            String configuration = factoryConfiguration(c);
            switch (c.state) {
                case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                }
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> problems.add(new ReadinessProblem(bsn,
                    description.name, configuration, "unsatisfied reference", unsatisfied(c.unsatisfiedReferences)));
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> problems.add(new ReadinessProblem(bsn,
                    description.name, configuration, "unsatisfied configuration",
                    "waiting for configuration " + String.join(", ", description.configurationPid)));
                case ComponentConfigurationDTO.FAILED_ACTIVATION -> problems.add(new ReadinessProblem(bsn,
                    description.name, configuration, "failed activation",
                    c.failure == null ? "" : rootCause(c.failure)));
                default -> problems.add(new ReadinessProblem(bsn, description.name, configuration, "state " + c.state,
                    ""));
            }
        }
        return configurations.size();
    }

    /** The PID of a factory configuration (one of several instances of the component), else empty. */
    private static String factoryConfiguration(ComponentConfigurationDTO c) {
        Object factoryPid = c.properties == null ? null : c.properties.get("service.factoryPid");
        Object pid = c.properties == null ? null : c.properties.get("service.pid");
        return factoryPid == null || pid == null ? "" : pid.toString();
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
        String line = failure.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
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
