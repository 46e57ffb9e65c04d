package io.opsd.shell.internal;

import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;

/** {@code opsd:agent-stop <id>}. */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=agent-stop"})
public final class AgentStopCommand extends AgentOperationCommand {

    @Activate
    public AgentStopCommand(@Reference AgentManager agents) {
        super(agents, "stop");
    }

    @Override
    CompletionStage<AgentStatus> operation(AgentManager agents, String id) {
        return agents.stop(id);
    }
}
