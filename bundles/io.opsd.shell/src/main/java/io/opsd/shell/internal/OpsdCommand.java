package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * One command of the {@code opsd} scope. Output goes to {@code System.out}, which Gogo and the Karaf console point
 * at the calling session; a failure is one line {@code opsd: <what is wrong>} on {@code System.err}, not a stack
 * trace or an exception class name.
 */
abstract class OpsdCommand implements Function {

    static final String SCOPE = "osgi.command.scope=opsd";

    @Override
    public final Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = arguments.stream().map(String::valueOf).toList();
        try {
            run(args, System.out);
        } catch (CommandFailure e) {
            System.err.println("opsd: " + e.getMessage());
        } finally {
            System.out.flush();
            System.err.flush();
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
