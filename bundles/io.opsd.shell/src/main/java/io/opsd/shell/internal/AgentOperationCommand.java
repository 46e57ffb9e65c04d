package io.opsd.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.agent.NoSuchAgentException;
import io.opsd.api.store.AgentIds;

/**
 * {@code opsd:agent-start|stop|restart <id>}: runs the operation on the agent's supervisor and waits for it, at most
 * {@link #LIMIT} (a stop may take the agent's stop timeout, then SIGKILL), then prints the agent's state in one line.
 */
abstract class AgentOperationCommand extends OpsdCommand {

    static final Duration LIMIT = Duration.ofSeconds(90);

    private final AgentManager agents;
    private final String verb;

    AgentOperationCommand(AgentManager agents, String verb) {
        this.agents = agents;
        this.verb = verb;
    }

    abstract CompletionStage<AgentStatus> operation(AgentManager agents, String id);

    @Override
    void run(List<String> args, PrintStream out) {
        expectArgs(args, 1, "agent-" + verb + " <id>");
        String id = requireAgent(agents, args.get(0));
        AgentStatus status;
        try {
            status = operation(agents, id).toCompletableFuture().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NoSuchAgentException e) {
            throw CommandFailure.noAgent(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("agent " + id + ": interrupted while waiting for " + verb);
        } catch (TimeoutException e) {
            throw new CommandFailure("agent " + id + ": " + verb + " not finished after " + Formats.duration(LIMIT)
                + "; it goes on, see opsd:agents");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof NoSuchAgentException) {
                throw CommandFailure.noAgent(id);
            }
            throw new CommandFailure("agent " + id + ": " + verb + " failed: " + cause.getMessage());
        }
        out.println(describe(status));
    }

    /** {@code agent a1: running (pid 1234)}, {@code agent a1: stopped}. */
    static String describe(AgentStatus s) {
        return "agent " + s.id() + ": " + s.state().displayName() + (s.pid() > 0 ? " (pid " + s.pid() + ")" : "");
    }

    /** The id of a configured agent, or a {@link CommandFailure} naming what is wrong with it. */
    static String requireAgent(AgentManager agents, String id) {
        if (!AgentIds.isValid(id)) {
            try {
                AgentIds.require(id);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage());
            }
        }
        if (agents.agent(id).isEmpty()) {
            throw CommandFailure.noAgent(id);
        }
        return id;
    }
}
