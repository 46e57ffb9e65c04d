package io.opsd.health;

/**
 * A bundle or component that is not doing its job, and why.
 *
 * @param bundle        the bundle's symbolic name ({@code system.bundle} for the framework's start level)
 * @param component     the component's name; empty for a problem of the bundle itself
 * @param configuration the PID of the component's factory configuration when the component has several (an agent:
 *                      {@code io.opsd.agent~filebeat}); else empty
 * @param state         {@code failed activation}, {@code unsatisfied reference}, {@code disabled}, a bundle state
 *                      such as {@code resolved}, ...
 * @param detail        why, in one line: for a failed activation the root cause of SCR's failure
 *                      ({@code java.lang.IllegalStateException: the sensor is missing})
 */
public record ReadinessProblem(String bundle, String component, String configuration, String state, String detail) {

    /** The configuration when there is one, else the component; empty for a problem of the bundle itself. */
    public String name() {
        return configuration.isEmpty() ? component : configuration;
    }
}
