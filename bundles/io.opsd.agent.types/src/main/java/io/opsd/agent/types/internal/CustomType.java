package io.opsd.agent.types.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.agent.AgentDefinition;
import io.opsd.api.agent.AgentType;

/**
 * {@code custom}: the binary with the configured {@code args}, as they are; with a {@code config_file},
 * {@code -config <config_file>} comes first, where the old daemon put it.
 */
@Component(property = AgentType.TYPE + "=custom")
public final class CustomType implements AgentType {

    @Override
    public List<String> command(AgentDefinition agent) {
        List<String> command = new ArrayList<>();
        command.add(agent.binary().toString());
        agent.configFile().ifPresent(file -> {
            command.add("-config");
            command.add(file.toString());
        });
        command.addAll(agent.args());
        return command;
    }
}
