package io.opsd.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.api.store.AgentIds;

/** {@code opsd:agent-log <id> [-n lines]}: the end of {@code <log dir>/agents/<id>/agent.log}. */
@Component(service = org.apache.felix.service.command.Function.class,
    property = {OpsdCommand.SCOPE, "osgi.command.function=agent-log"})
public final class AgentLogCommand extends OpsdCommand {

    static final int DEFAULT_LINES = 20;
    static final int MAX_LINES = 10_000;
    static final String USAGE = "agent-log <id> [-n lines]";

    private final AgentManager agents;
    private final Path agentLogs;

    @Activate
    public AgentLogCommand(BundleContext context, @Reference AgentManager agents) {
        this(agents, RuntimePaths.logDir(context).resolve("agents"));
    }

    AgentLogCommand(AgentManager agents, Path agentLogs) {
        this.agents = agents;
        this.agentLogs = agentLogs;
    }

    @Override
    void run(List<String> args, PrintStream out) {
        String id = null;
        int lines = DEFAULT_LINES;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n") && i + 1 < args.size()) {
                lines = count(args.get(++i));
            } else if (a.startsWith("-")) {
                throw new CommandFailure("usage: " + USAGE);
            } else if (id == null) {
                id = a;
            } else {
                throw new CommandFailure("usage: " + USAGE);
            }
        }
        if (id == null) {
            throw new CommandFailure("usage: " + USAGE);
        }
        AgentOperationCommand.requireAgent(agents, id); // validates the id before any path is built
        Path file = AgentIds.fileIn(agentLogs, id, "").resolve("agent.log");
        try {
            LogTail.lastLines(file, lines).forEach(out::println);
        } catch (NoSuchFileException e) {
            throw new CommandFailure("agent " + id + " has no log yet (" + file + ")");
        } catch (IOException e) {
            throw new CommandFailure("agent " + id + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int count(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LINES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandFailure("-n " + value + ": give a number of lines from 1 to " + MAX_LINES);
    }
}
