package io.opsd.grpc.ctl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.spi.ToolProvider;

/**
 * {@code opsd ctl} as a {@link ToolProvider} named {@value #NAME}: the launcher finds it with
 * {@link java.util.ServiceLoader} in the class loader it makes of this bundle, and gives it the node's configuration
 * directory as {@code --config-dir DIR} ahead of the user's arguments. The JDK's own type is the contract, so the
 * launcher needs no class of this bundle and this bundle none of the launcher.
 */
public final class CtlTool implements ToolProvider {

    /** The tool's name, which the launcher looks for. */
    public static final String NAME = "opsd-ctl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int run(PrintStream out, PrintStream err, String... args) {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().stringPropertyNames().forEach(k -> properties.put(k, System.getProperty(k)));
        return Ctl.run(args, System.getenv(), properties, out, err);
    }

    /** For callers holding writers; the output arrives when the command is done. */
    @Override
    public int run(PrintWriter out, PrintWriter err, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = run(new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8), args);
        out.print(o.toString(StandardCharsets.UTF_8));
        out.flush();
        err.print(e.toString(StandardCharsets.UTF_8));
        err.flush();
        return code;
    }
}
