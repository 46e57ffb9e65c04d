package io.opsd.launcher.migrate;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code --from-node DIR}: the old daemon's state in its work directory, in opsd's data directory. {@code node_id}
 * becomes {@code <data>/node_id} (so the Manager sees the same node), and {@code metadata/<id>.json} of each
 * converted agent becomes {@code <data>/agents/<id>.json} and {@code <data>/agents/history/<id>.json}, keeping the
 * restart count, the last start and heartbeat, and the resource history (GetAgentMetrics), never the process.
 */
final class NodeStateImport {

    private static final long MAX_NODE_ID_FILE = 4096;
    private static final long MAX_METADATA_FILE = 64L << 20;
    private static final int DEFAULT_MAX_RETRIES = 10;

    private final Path oldDir;
    private final Path dataDir;
    private final Instant now;
    private final Warnings warnings = new Warnings();
    private final List<Path> written = new ArrayList<>();

    NodeStateImport(Path oldDir, Path dataDir, Instant now) {
        this.oldDir = oldDir.toAbsolutePath().normalize();
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.now = now;
    }

    List<String> warnings() {
        return warnings.lines();
    }

    List<Path> written() {
        return List.copyOf(written);
    }

    /** {@code configuredId}: io.opsd.node's {@code id} from daemon.id, which wins over node_id in both daemons. */
    void run(Migration.Result result, Optional<String> configuredId) throws IOException {
        nodeId(configuredId);
        Path metadata = inside(oldDir, "metadata");
        for (String id : result.agents()) {
            Path file = inside(metadata, id + ".json");
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                agent(id, file, result);
            }
        }
        reportOthers(metadata, result.agents());
    }

    private void nodeId(Optional<String> configuredId) throws IOException {
        Path file = inside(oldDir, "node_id");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            warnings.warn(file.toString(), "is missing: opsd generates a new node id, and the Manager sees a new node");
            return;
        }
        String raw = Files.size(file) > MAX_NODE_ID_FILE ? "" : Files.readString(file, StandardCharsets.UTF_8);
        String id = raw.strip();
        if (!Migration.NODE_ID.matcher(id).matches()) {
            warnings.warn(file.toString(), "does not hold a node id opsd accepts (1 to 128 letters, digits, '.', '_',"
                + " ':' or '-'); not copied, and opsd would generate a new one");
            return;
        }
        if (!id.equals(raw)) {
            warnings.warn(file.toString(), "ends with blanks or a newline; written without them");
        }
        configuredId.filter(c -> !c.equals(id)).ifPresent(c -> warnings.warn(file.toString(), "holds " + id
            + ", but daemon.id = " + c + " wins, in opsd as in the old daemon"));
        write(inside(dataDir, "node_id"), id);
    }

    private void agent(String id, Path file, Migration.Result result) throws IOException {
        OldAgentMetadata old;
        try {
            old = OldAgentMetadata.of(readJson(file));
        } catch (IllegalArgumentException | YAMLException e) {
            warnings.warn(file.toString(), "cannot be read (" + oneLine(e.getMessage()) + "); agent " + id
                + " starts with an empty history and restart count");
            return;
        }
        Optional<CfgFile> cfg = result.files().stream().filter(f -> f.name().equals("io.opsd.agent-" + id + ".cfg"))
            .findFirst();
        String type = cfg.map(f -> f.get("type")).orElse(old.type());
        Path agents = inside(dataDir, "agents");
        write(inside(agents, id + ".json"), StoreJson.state(id, type == null ? "" : type, old, now));
        write(inside(inside(agents, "history"), id + ".json"), StoreJson.history(id, old.history()));
        if (old.pointsSkipped() > 0) {
            warnings.warn(file.toString(), "has " + old.pointsSkipped() + " resource_history point(s) without a"
                + " readable timestamp, cpu or memory; not imported");
        }
        if (old.pid() > 0) {
            warnings.warn(file.toString(), "records pid " + old.pid() + ", which is not imported: stop the old daemon"
                + " (and its agents) before opsd starts, or the agent runs twice");
        }
        int maxRetries = cfg.map(f -> f.get("restart.max_retries")).map(Integer::parseInt).orElse(DEFAULT_MAX_RETRIES);
        if (old.restartCount() >= maxRetries) {
            warnings.warn(file.toString(), "has restart_count = " + old.restartCount() + ", kept; opsd counts automatic"
                + " restarts in a row against restart.max_retries (" + maxRetries + "), so agent " + id + "'s next"
                + " exit marks it failed unless it first runs healthy for restart.reset_after (5m by default)");
        }
    }

    private void reportOthers(Path metadata, List<String> converted) throws IOException {
        if (!Files.isDirectory(metadata, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(metadata, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!converted.contains(name.substring(0, name.length() - ".json".length()))) {
                    warnings.warn(f.toString(), "is not imported: it belongs to no agent the import converted");
                }
            }
        }
    }

    private static Map<?, ?> readJson(Path file) throws IOException {
        if (Files.size(file) > MAX_METADATA_FILE) {
            throw new IllegalArgumentException("larger than " + (MAX_METADATA_FILE >> 20) + " MiB");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setCodePointLimit((int) MAX_METADATA_FILE);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // JSON is YAML: the launcher's one parser reads the old daemon's metadata too
            Object doc = new Yaml(new SafeConstructor(options)).load(in);
            if (!(doc instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return map;
        }
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        ImportConfig.write(file, text);
        written.add(file);
    }

    /** {@code dir/name}, checked to stay directly inside {@code dir}. */
    static Path inside(Path dir, String name) {
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(name).normalize();
        if (!base.equals(p.getParent())) {
            throw new IllegalArgumentException(name + " leads outside " + base);
        }
        return p;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
