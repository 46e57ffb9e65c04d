package io.opsd.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opsd.api.agent.AgentType;

/**
 * Starts an agent's process: its type's command line behind opsd's wrappers (a session of its own, the death
 * signal, another user), in its work directory, with its environment, and its output on a pipe to opsd or, for an
 * agent that outlives opsd, appended to its log file.
 */
final class ProcessLauncher {

    /** Starts a prepared process; the runtime does it on the one thread whose death the agents' pdeathsig follows. */
    interface Starter {
        Process start(ProcessBuilder builder) throws IOException;
    }

    /** The agent's type refused its configuration: nothing can start until the configuration changes. */
    static final class TypeRefusal extends Exception {
        private static final long serialVersionUID = 1L;

        TypeRefusal(String message) {
            super(message);
        }
    }

    /** A command line, and where the agent's own words begin after the wrappers'. */
    record Command(List<String> words, int wrapperWords) {
    }

    private final Starter starter;
    private final Path dataDir;
    private final Path logDir;

    /** @param logDir where each agent has a directory of its logs */
    ProcessLauncher(Starter starter, Path dataDir, Path logDir) {
        this.starter = starter;
        this.dataDir = dataDir;
        this.logDir = logDir;
    }

    /** The wrappers' words and then the command line the type makes of the agent's definition. */
    static Command command(AgentSettings.Launch launch, AgentType type) throws TypeRefusal {
        List<String> words = new ArrayList<>(ProcessControl.wrapper(!launch.keepRunningOnExit(), launch.runAs()));
        int wrapperWords = words.size();
        try {
            words.addAll(type.command(launch.definition()));
        } catch (RuntimeException e) {
            throw new TypeRefusal("agent " + launch.id() + ": type " + launch.type() + " refuses the configuration: "
                + e.getMessage());
        }
        return new Command(words, wrapperWords);
    }

    /** Starts {@code command}, after checking its executable and preparing the work directory. */
    Process start(AgentSettings.Launch launch, Command command) throws IOException {
        // the wrapper (setsid, setpriv) would start and then fail with exit code 127: say what is wrong instead
        Path executable = Path.of(command.words().get(command.wrapperWords()));
        if (executable.isAbsolute() && !Files.isExecutable(executable)) {
            throw new IOException(executable + (Files.exists(executable) ? " is not executable"
                : " does not exist (deleted or moved since the agent was configured?)"));
        }
        prepareWorkDir(launch);
        ProcessBuilder pb = new ProcessBuilder(command.words()).directory(launch.workDir().toFile())
            .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(AgentEnvironment.of(launch, System.getenv()));
        if (launch.keepRunningOnExit()) {
            // the output must not depend on opsd's pipe, which closes when opsd exits
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(launch.id()).toFile()));
        }
        return starter.start(pb);
    }

    /**
     * Creates the work directory. The default one, under opsd's data directory, is also given to the agent's user,
     * who could not write its own HOME otherwise; a configured work_dir is the operator's to set up.
     */
    private void prepareWorkDir(AgentSettings.Launch launch) throws IOException {
        Path dir = Files.createDirectories(launch.workDir());
        if (launch.runAs().isPresent() && dir.startsWith(dataDir.resolve("work"))) {
            Files.setAttribute(dir, "unix:uid", (int) launch.runAs().get().uid());
            Files.setAttribute(dir, "unix:gid", (int) launch.runAs().get().gid());
        }
    }

    private Path logFile(String id) throws IOException {
        Path dir = Files.createDirectories(logDir.resolve(id));
        return dir.resolve("agent.log");
    }
}
