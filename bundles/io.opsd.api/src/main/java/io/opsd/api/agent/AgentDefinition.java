package io.opsd.api.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an agent's configuration says about how to launch it, validated: the type builds the command line from it.
 *
 * @param id agent id
 * @param type agent type name
 * @param binary absolute path of an existing executable
 * @param args the {@code args} key, split on blanks, double quotes grouping (no shell expansion)
 * @param configFile the {@code config_file} key, when set
 * @param workDir the working directory
 * @param properties every configuration property, for type-specific keys
 */
public record AgentDefinition(String id, String type, Path binary, List<String> args, Optional<Path> configFile,
                              Path workDir, Map<String, Object> properties) {

    public AgentDefinition {
        Objects.requireNonNull(binary, "binary");
        args = List.copyOf(args);
        properties = Map.copyOf(properties);
    }
}
