package io.opsd.launcher.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code java -jar opsd.jar import-config daemon.yaml --out DIR}: the old daemon's configuration as one
 * {@code .cfg} per PID in DIR (created if needed). Warnings go to standard error, the files written to standard
 * output. Exit codes: 0 written (warnings or not), 1 the YAML cannot be read, 2 wrong command line, 3 DIR cannot be
 * written.
 */
public final class ImportConfig {

    public static final int OK = 0;
    public static final int UNREADABLE = 1;
    public static final int USAGE = 2;
    public static final int BAD_DIRECTORY = 3;

    private ImportConfig() {
    }

    public static String usage() {
        return """
            Usage: java -jar opsd.jar import-config daemon.yaml --out DIR

            Reads the old daemon's YAML configuration and writes one .cfg file per configuration PID into DIR
            (created if needed; files of the same name are replaced): io.opsd.node.cfg, io.opsd.agent-<id>.cfg per
            agent (merged with agent_defaults), io.opsd.collector.<name>.cfg, io.opsd.manager.cfg,
            io.opsd.grpc.server.cfg, org.apache.felix.http.cfg. Every key that is not carried over is named in a
            warning on standard error, with its YAML path. The node's identity lives in the old work_dir's node_id
            file: copy it to <opsd home>/data/node_id.

            Exit codes: 0 written (also with warnings), 1 the YAML cannot be read, 2 wrong command line,
            3 DIR cannot be created or written.
            """;
    }

    /** {@code args}: what follows {@code import-config} on the command line. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String yaml = null;
        String dir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                out.print(usage());
                return OK;
            } else if (a.equals("--out")) {
                if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                    return usage(err, "--out needs a directory");
                }
                dir = args.get(++i);
            } else if (a.startsWith("--out=")) {
                dir = a.substring("--out=".length());
                if (dir.isBlank()) {
                    return usage(err, "--out needs a directory");
                }
            } else if (a.startsWith("-") && !a.equals("-")) {
                return usage(err, "unknown option " + a);
            } else if (yaml == null) {
                yaml = a;
            } else {
                return usage(err, "one YAML file only (also got " + a + ")");
            }
        }
        if (yaml == null) {
            return usage(err, "the old daemon's YAML file is missing");
        }
        if (dir == null) {
            return usage(err, "--out DIR is missing");
        }

        Map<?, ?> raw;
        try {
            raw = read(Path.of(yaml));
        } catch (NoSuchFileException e) {
            err.println("opsd import-config: cannot read " + yaml + ": no such file");
            return UNREADABLE;
        } catch (IOException | YAMLException | IllegalArgumentException e) {
            err.println("opsd import-config: cannot read " + yaml + ": " + oneLine(e.getMessage()));
            return UNREADABLE;
        }
        Migration.Result result = Migration.of(YamlMap.of(raw, ""), yaml);
        result.warnings().forEach(err::println);

        Path target = Path.of(dir);
        try {
            Files.createDirectories(target);
            for (CfgFile f : result.files()) {
                Path file = target.resolve(f.name());
                write(file, f.render());
                out.println("wrote " + file);
            }
        } catch (IOException e) {
            err.println("opsd import-config: cannot write to " + target + ": " + oneLine(String.valueOf(e)));
            return BAD_DIRECTORY;
        }
        out.println("imported " + result.agents().size() + " agent(s)" + (result.agents().isEmpty() ? ""
            : ": " + String.join(", ", result.agents())) + "; " + result.warnings().size() + " warning(s)");
        return OK;
    }

    /** The YAML document, which must be a mapping; an empty file is an empty mapping. */
    static Map<?, ?> read(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Object doc;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(options)).load(in);
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the document is not a mapping (daemon:, agents:, ...)");
        }
        return map;
    }

    /** Written next to its final name, then moved over it: FileInstall never reads half a file. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("opsd import-config: " + message);
        err.println("Usage: java -jar opsd.jar import-config daemon.yaml --out DIR");
        return USAGE;
    }

    private static String oneLine(String s) {
        List<String> lines = new ArrayList<>(List.of(String.valueOf(s).strip().split("\\R")));
        lines.replaceAll(String::strip);
        return String.join(" ", lines);
    }
}
