package io.opsd.agent.types.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.agent.AgentDefinition;
import io.opsd.api.agent.AgentType;

/** {@code telegraf}: {@code telegraf -config <config_file> [args]}. */
@Component(property = AgentType.TYPE + "=telegraf")
public final class TelegrafType implements AgentType {

    @Override
    public List<String> command(AgentDefinition agent) {
        List<String> command = new ArrayList<>();
        command.add(agent.binary().toString());
        command.add("-config");
        command.add(agent.configFile().orElseThrow(() -> new IllegalArgumentException(
            "telegraf needs config_file, the path of telegraf.conf")).toString());
        command.addAll(agent.args());
        return command;
    }
}
