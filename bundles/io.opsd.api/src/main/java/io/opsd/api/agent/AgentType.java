package io.opsd.api.agent;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: knows how to launch one kind of agent. Register it as a service with the property
 * {@value #TYPE} (for example {@code filebeat}); an agent configured with {@code type = filebeat} waits in
 * {@code waiting-for-type} until such a service is there, and is stopped when it goes.
 */
@ConsumerType
public interface AgentType {

    /** The service property naming the type. */
    String TYPE = "opsd.agent.type";

    /**
     * The command line: the binary followed by its arguments, never passed to a shell. Throws
     * {@link IllegalArgumentException} saying what is wrong with a type-specific setting.
     */
    List<String> command(AgentDefinition agent);

    /** An HTTP URL to probe for health when the configuration names none (node_exporter's metrics page). */
    default Optional<String> defaultHttpProbe(AgentDefinition agent) {
        return Optional.empty();
    }
}
