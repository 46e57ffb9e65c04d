package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * One command of the {@code opsd} scope. Output goes to {@code System.out}, which Gogo and the Karaf console point
 * at the calling session. A failure is thrown, as one line {@code opsd: <what is wrong>} without a stack trace: every
 * console prints a failed command's message where its user sees it (Karaf: {@code Error executing command: opsd:
 * ...}, and {@code bin/client} exits with 1), while the command's error stream is not passed on by every session
 * (Karaf's ssh session, so {@code bin/client}, drops what a command writes to {@code System.err}).
 */
abstract class OpsdCommand implements Function {

    static final String SCOPE = "osgi.command.scope=opsd";

    @Override
    public final Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = arguments.stream().map(String::valueOf).toList();
        try {
            run(args, System.out);
        } catch (CommandFailure e) {
            throw e.reported();
        } finally {
            System.out.flush();
        }
        return null;
    }

    /** Writes the output to {@code out}, or throws {@link CommandFailure}. */
    abstract void run(List<String> args, PrintStream out);

    static void expectArgs(List<String> args, int count, String usage) {
        if (args.size() != count) {
            throw new CommandFailure("usage: " + usage);
        }
    }
}
