package io.opsd.launcher.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code java -jar opsd.jar import-config daemon.yaml --out DIR [--from-node OLD_WORK_DIR [--data DIR]]}: the old
 * daemon's configuration as one {@code .cfg} per PID in DIR (created if needed), and with {@code --from-node} its
 * node id and agent metadata in opsd's data directory. Warnings go to standard error, the files written to standard
 * output. Exit codes: 0 written (warnings or not), 1 the YAML cannot be read, 2 wrong command line, 3 DIR cannot be
 * written, 4 the old node's state cannot be read or written.
 */
public final class ImportConfig {

    public static final int OK = 0;
    public static final int UNREADABLE = 1;
    public static final int USAGE = 2;
    public static final int BAD_DIRECTORY = 3;
    public static final int OLD_NODE_UNREADABLE = 4;

    private ImportConfig() {
    }

    public static String usage() {
        return """
            Usage: java -jar opsd.jar import-config daemon.yaml --out DIR [--from-node OLD_WORK_DIR [--data DIR]]

            Reads the old daemon's YAML configuration and writes one .cfg file per configuration PID into DIR
            (created if needed; files of the same name are replaced): io.opsd.node.cfg, io.opsd.agent-<id>.cfg per
            agent (merged with agent_defaults), io.opsd.collector.<name>.cfg, io.opsd.manager.cfg,
            io.opsd.grpc.server.cfg, org.apache.felix.http.cfg, io.opsd.heartbeat.socket.cfg. The node behaves as
            the old daemon did: where opsd's defaults differ, the old behaviour is written, and the file's comments
            say how to turn opsd's on. Every key that is not carried over is named in a warning on standard error,
            with its YAML path.

            --from-node OLD_WORK_DIR   the old daemon's work_dir (such as /var/lib/daemon): its node_id becomes
                                       DATA/node_id, and metadata/<id>.json of each converted agent becomes
                                       DATA/agents/<id>.json and DATA/agents/history/<id>.json (restart count,
                                       last start and heartbeat, resource history; never the process)
            --data DIR                 opsd's data directory (default: data beside DIR, as in an opsd home)

            Exit codes: 0 written (also with warnings), 1 the YAML cannot be read, 2 wrong command line,
            3 DIR cannot be created or written, 4 the old node's state cannot be read or written.
            """;
    }

    /** {@code args}: what follows {@code import-config} on the command line. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ImportOptions options;
        try {
            options = ImportOptions.parse(args);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (options.help()) {
            out.print(usage());
            return OK;
        }
        if (options.fromNode().isPresent() && !Files.isDirectory(options.fromNode().get())) {
            err.println("opsd import-config: --from-node " + options.fromNode().get() + " is not a directory");
            return OLD_NODE_UNREADABLE;
        }
        Map<?, ?> raw;
        try {
            raw = read(Path.of(options.yaml()));
        } catch (NoSuchFileException e) {
            err.println("opsd import-config: cannot read " + options.yaml() + ": no such file");
            return UNREADABLE;
        } catch (IOException | YAMLException | IllegalArgumentException e) {
            err.println("opsd import-config: cannot read " + options.yaml() + ": " + oneLine(e.getMessage()));
            return UNREADABLE;
        }
        Migration.Result result = Migration.of(YamlMap.of(raw, ""), options.yaml());
        result.warnings().forEach(err::println);

        Path target = options.out();
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
        int warnings = result.warnings().size();
        if (options.fromNode().isPresent()) {
            NodeStateImport state = new NodeStateImport(options.fromNode().get(), options.data().orElseThrow(),
                Instant.now());
            try {
                state.run(result, result.files().stream().filter(f -> f.name().equals("io.opsd.node.cfg"))
                    .findFirst().map(f -> f.get("id")));
            } catch (IOException | IllegalArgumentException e) {
                state.warnings().forEach(err::println);
                err.println("opsd import-config: cannot import the old node's state into " + options.data().get()
                    + ": " + oneLine(String.valueOf(e)));
                return OLD_NODE_UNREADABLE;
            }
            state.warnings().forEach(err::println);
            state.written().forEach(f -> out.println("wrote " + f));
            warnings += state.warnings().size();
        }
        out.println("imported " + result.agents().size() + " agent(s)" + (result.agents().isEmpty() ? ""
            : ": " + String.join(", ", result.agents())) + "; " + warnings + " warning(s)");
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

    /** Written next to its final name, then moved over it: FileInstall and opsd never read half a file. */
    static void write(Path file, String text) throws IOException {
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
        err.println("Usage: java -jar opsd.jar import-config daemon.yaml --out DIR [--from-node OLD_WORK_DIR"
            + " [--data DIR]]");
        return USAGE;
    }

    private static String oneLine(String s) {
        List<String> lines = new ArrayList<>(List.of(String.valueOf(s).strip().split("\\R")));
        lines.replaceAll(String::strip);
        return String.join(" ", lines);
    }
}
