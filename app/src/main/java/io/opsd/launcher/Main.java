package io.opsd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

import io.opsd.launcher.migrate.ImportConfig;

/**
 * {@code java -jar opsd.jar [--home DIR]}: runs the node until SIGTERM or SIGINT. Exit codes: 0 stopped in order,
 * 1 the node failed, 2 wrong command line, 3 a directory cannot be used, 4 another opsd runs on the same home.
 * {@code java -jar opsd.jar import-config daemon.yaml --out DIR}: see {@link ImportConfig}.
 * {@code java -jar opsd.jar cds}: see {@link CdsArchive}.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int BAD_DIRECTORY = 3;
    static final int ALREADY_RUNNING = 4;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Properties settings = launcherSettings();
        String version = settings.getProperty("version", "unknown");
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (OldConfigFlag e) {
            err.print(e.getMessage());
            return USAGE;
        } catch (IllegalArgumentException e) {
            err.println("opsd: " + e.getMessage());
            err.println("Try 'java -jar opsd.jar --help'.");
            return USAGE;
        }
        if (line.importConfig().isPresent()) {
            return ImportConfig.run(line.importConfig().get(), out, err);
        }
        if (line.ctl().isPresent()) {
            Layout home = Layout.resolve(line.home(), System.getProperties(), System.getenv(),
                Path.of("").toAbsolutePath());
            return CtlBridge.run(line.ctl().get(), home, out, err);
        }
        if (line.cds().isPresent() && !line.help()) {
            Layout layout = Layout.resolve(line.home(), System.getProperties(), System.getenv(),
                Path.of("").toAbsolutePath());
            return CdsArchive.run(layout, line.cds().get(), out, err);
        }
        if (line.help()) {
            out.print(CommandLine.usage());
            return OK;
        }
        if (line.version()) {
            out.println("opsd " + version);
            return OK;
        }
        Console console = new Console(err);
        Layout layout;
        try {
            layout = Layout.resolve(line.home(), System.getProperties(), System.getenv(), Path.of("").toAbsolutePath());
            layout.prepare();
        } catch (Layout.DirectoryException e) {
            console.error(e.getMessage());
            return BAD_DIRECTORY;
        }
        try (PidFile pid = PidFile.acquire(layout.pidFile())) {
            pid.staleNote().ifPresent(console::info);
            return new Node(layout, settings, version, console).runUntilStopped();
        } catch (PidFile.AlreadyRunningException e) {
            console.error(e.getMessage());
            return ALREADY_RUNNING;
        } catch (IOException | UncheckedIOException e) {
            console.error("cannot write the PID file " + layout.pidFile() + ": " + e.getMessage());
            return BAD_DIRECTORY;
        }
    }

    static Properties launcherSettings() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/opsd-launcher.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
