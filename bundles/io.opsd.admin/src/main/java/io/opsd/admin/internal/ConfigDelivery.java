package io.opsd.admin.internal;

import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Whether the components consuming a configuration have taken given values, as ServiceComponentRuntime shows them:
 * every component configuration of the pid shows the values in its properties and is ACTIVE or SATISFIED
 * (taken), or shows them and is FAILED_ACTIVATION or UNSATISFIED_CONFIGURATION (refused).
 */
final class ConfigDelivery {

    /** How long a pid no DS component consumes (a ManagedService such as org.apache.felix.http) is given. */
    static final Duration SETTLE = Duration.ofMillis(200);
    /**
     * A component without a modified method is deactivated and activated again on a change, and SCR shows the new
     * values while the old instance is still ACTIVE: it must show them this long before they count as taken.
     */
    static final Duration REACTIVATION = Duration.ofMillis(150);
    private static final long POLL_MILLIS = 5;

    /** How a delivery ended: taken, refused with a reason, or not seen within the bound. */
    record Outcome(boolean taken, String reason) {

        static final Outcome TAKEN = new Outcome(true, "");
    }

    private final ServiceComponentRuntime scr;

    ConfigDelivery(ServiceComponentRuntime scr) {
        this.scr = Objects.requireNonNull(scr);
    }

    /**
     * Waits until the components of {@code pid} show {@code expected} and none of {@code dropped} (keys removed
     * with no other value: the component may show a default of its own) or, when {@code gone}, until no component
     * configuration of the pid is left.
     */
    Outcome await(Pids.Pid pid, Map<String, String> expected, Map<String, String> dropped, boolean gone,
                  Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        long settleUntil = System.nanoTime() + SETTLE.toNanos();
        String last = "no component took the configuration";
        long takenSince = 0;
        boolean seenTaken = false;
        while (true) {
            List<ComponentDescriptionDTO> consumers = consumers(pid.typePid());
            if (consumers.isEmpty() && System.nanoTime() - settleUntil >= 0) {
                return Outcome.TAKEN; // not a DS configuration: the ManagedService is given SETTLE
            }
            List<ComponentConfigurationDTO> configs = new ArrayList<>();
            consumers.forEach(d -> scr.getComponentConfigurationDTOs(d).stream()
                .filter(c -> hasPid(c, pid.caPid())).forEach(configs::add));
            if (gone) {
                if (configs.isEmpty()) {
                    return Outcome.TAKEN;
                }
                last = "the component is still there";
            } else if (!configs.isEmpty() && configs.stream().allMatch(c -> mismatch(c, expected, dropped).isEmpty())) {
                Optional<ComponentConfigurationDTO> refused = configs.stream()
                    .filter(c -> c.state == ComponentConfigurationDTO.FAILED_ACTIVATION
                        || c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION)
                    .findFirst();
                if (refused.isPresent()) {
                    return new Outcome(false, reason(refused.get()));
                }
                // an immediate component shows SATISFIED while it activates; a delayed one stays SATISFIED until used
                if (configs.stream().allMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE
                    || c.state == ComponentConfigurationDTO.SATISFIED && !c.description.immediate)) {
                    if (configs.stream().allMatch(c -> c.description.modified != null)) {
                        return Outcome.TAKEN;
                    }
                    if (!seenTaken) {
                        seenTaken = true;
                        takenSince = System.nanoTime();
                    } else if (System.nanoTime() - takenSince >= REACTIVATION.toNanos()) {
                        return Outcome.TAKEN;
                    }
                    sleep();
                    continue;
                }
                last = "the component is " + BundleViews.componentState(configs.get(0).state);
            } else if (!configs.isEmpty()) {
                last = "the component shows " + configs.stream().map(c -> mismatch(c, expected, dropped))
                    .filter(m -> !m.isEmpty()).findFirst().orElse("other values");
            }
            seenTaken = false;
            if (System.nanoTime() - deadline >= 0) {
                return new Outcome(false, "the component did not take the values within " + bound.toMillis()
                    + " ms (" + last + ")");
            }
            sleep();
        }
    }

    private List<ComponentDescriptionDTO> consumers(String typePid) {
        List<ComponentDescriptionDTO> out = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.configurationPid != null && Arrays.asList(d.configurationPid).contains(typePid)
                && scr.isComponentEnabled(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private static boolean hasPid(ComponentConfigurationDTO c, String caPid) {
        Object pid = c.properties == null ? null : c.properties.get("service.pid");
        if (pid == null) {
            return false;
        }
        return text(pid).equals(caPid) || (pid.getClass().isArray() || pid instanceof Collection<?>)
            && Arrays.asList(text(pid).split(",")).contains(caPid);
    }

    /** The first expected key the component does not show as expected, else empty. */
    private static String mismatch(ComponentConfigurationDTO c, Map<String, String> expected,
                                   Map<String, String> dropped) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Object actual = c.properties.get(e.getKey());
            if (actual == null || !text(actual).equals(e.getValue())) {
                return e.getKey() + " = " + (actual == null ? "(none)" : Secrets.shown(e.getKey(), text(actual)));
            }
        }
        for (Map.Entry<String, String> e : dropped.entrySet()) {
            Object actual = c.properties.get(e.getKey());
            if (actual != null && text(actual).equals(e.getValue())) {
                return e.getKey() + " = " + Secrets.shown(e.getKey(), text(actual)) + " still";
            }
        }
        return "";
    }

    /** A property value as .cfg text: arrays and collections joined with ','. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(",", parts);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static String reason(ComponentConfigurationDTO c) {
        String failure = c.failure == null || c.failure.isBlank() ? BundleViews.componentState(c.state) : c.failure.strip();
        // the DTO's failure is a stack trace: the root cause's line is "Caused by: <exception class>: <message>"
        String first = failure.lines().map(String::strip).filter(l -> l.startsWith("Caused by: "))
            .reduce((a, b) -> b).map(l -> l.substring("Caused by: ".length()))
            .orElse(failure.lines().findFirst().orElse(failure));
        int colon = first.indexOf(": ");
        return colon > 0 && first.substring(0, colon).matches("[\\w.$]+") ? first.substring(colon + 2) : first;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
