package io.opsd.api.config;

import java.util.List;
import java.util.Map;

/**
 * A component's own checks of its configuration, asked before a change is applied through node administration. A
 * bundle registers one per configuration pid it owns, with the service property {@link #PID} (a factory pid for
 * factory configurations: {@code io.opsd.agent}).
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ConfigurationValidator {

    /** The service property naming the pid or factory pid this validator checks. */
    String PID = "opsd.config.pid";

    /**
     * Every problem with {@code properties} (the effective values as they would be, as .cfg text), each naming its
     * key; empty when the component would take them.
     */
    List<String> problems(Map<String, String> properties);
}
