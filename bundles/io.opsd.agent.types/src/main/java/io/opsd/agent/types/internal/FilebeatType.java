package io.opsd.agent.types.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.agent.AgentDefinition;
import io.opsd.api.agent.AgentType;

/** {@code filebeat}: {@code filebeat -c <config_file> -path.home <work_dir> [args]}, as the old daemon ran it. */
@Component(property = AgentType.TYPE + "=filebeat")
public final class FilebeatType implements AgentType {

    @Override
    public List<String> command(AgentDefinition agent) {
        List<String> command = new ArrayList<>();
        command.add(agent.binary().toString());
        command.add("-c");
        command.add(agent.configFile().orElseThrow(() -> new IllegalArgumentException(
            "filebeat needs config_file, the path of filebeat.yml")).toString());
        command.add("-path.home");
        command.add(agent.workDir().toString());
        command.addAll(agent.args());
        return command;
    }
}
