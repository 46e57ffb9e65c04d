package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.MetadataStore;
import io.opsd.api.text.TextTable;

/**
 * {@code opsd:agents}: one line per configured agent. LAST HEARTBEAT is when opsd received the agent's last
 * heartbeat (opsd's clock, comparable with STARTED), from the metadata store.
 */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=agents"})
public final class AgentsCommand extends OpsdCommand {

    static final String[] HEADER = {"ID", "TYPE", "STATE", "PID", "RESTARTS", "HEALTH", "STARTED", "LAST HEARTBEAT"};

    private final AgentManager agents;
    private final MetadataStore store;

    @Activate
    public AgentsCommand(@Reference AgentManager agents, @Reference MetadataStore store) {
        this.agents = agents;
        this.store = store;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        expectArgs(args, 0, "agents");
        List<AgentStatus> all = agents.agents();
        if (all.isEmpty()) {
            out.println("no agents configured");
            return;
        }
        Map<String, AgentRecord> records = store.list().stream()
            .collect(Collectors.toMap(AgentRecord::id, Function.identity(), (a, b) -> b));
        TextTable table = new TextTable(HEADER);
        for (AgentStatus a : all) {
            AgentRecord r = records.get(a.id());
            table.row(a.id(), a.type(), a.state().displayName(), a.pid() > 0 ? a.pid() : "-", a.restartCount(),
                a.health(), Formats.instant(a.startTime()),
                r == null ? "-" : Formats.instant(r.heartbeatReceived().or(r::lastHeartbeat)));
        }
        table.print(out);
    }
}
