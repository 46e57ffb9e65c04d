package io.opsd.shell.internal;

import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;

/** {@code opsd:agent-start <id>}. */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=agent-start"})
public final class AgentStartCommand extends AgentOperationCommand {

    @Activate
    public AgentStartCommand(@Reference AgentManager agents) {
        super(agents, "start");
    }

    @Override
    CompletionStage<AgentStatus> operation(AgentManager agents, String id) {
        return agents.start(id);
    }
}
