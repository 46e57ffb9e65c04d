package io.opsd.example.nice.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.agent.AgentDefinition;
import io.opsd.api.agent.AgentType;

/**
 * {@code nice}: {@code /usr/bin/nice -n <nice.level, default 10> <binary_path> <args>}, a custom agent that yields
 * the CPU to everything else on the gateway. An example of an agent type delivered as a bundle of its own.
 */
@Component(property = AgentType.TYPE + "=nice")
public final class NiceType implements AgentType {

    static final String LEVEL = "nice.level";
    private static final String NICE = "/usr/bin/nice";
    private static final int DEFAULT_LEVEL = 10;

    @Override
    public List<String> command(AgentDefinition agent) {
        List<String> command = new ArrayList<>();
        command.add(NICE);
        command.add("-n");
        command.add(Integer.toString(level(agent)));
        command.add(agent.binary().toString());
        command.addAll(agent.args());
        return command;
    }

    private static int level(AgentDefinition agent) {
        Object value = agent.properties().get(LEVEL);
        if (value == null) {
            return DEFAULT_LEVEL;
        }
        String text = String.valueOf(value).trim();
        try {
            int level = Integer.parseInt(text);
            if (level >= 1 && level <= 19) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        // only lowering the priority is offered: a negative level would need privileges the agent should not get
        throw new IllegalArgumentException(LEVEL + " = \"" + text + "\" is not a whole number from 1 to 19");
    }
}
