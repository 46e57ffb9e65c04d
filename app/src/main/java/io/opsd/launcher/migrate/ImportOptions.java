package io.opsd.launcher.migrate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * import-config's command line: {@code daemon.yaml --out DIR [--from-node OLD_WORK_DIR [--data DATA_DIR]]}.
 * {@code --data} defaults to {@code data} beside {@code --out} (the layout of an opsd home).
 */
record ImportOptions(boolean help, String yaml, Path out, Optional<Path> fromNode, Optional<Path> data) {

    /** Throws IllegalArgumentException with what is wrong. */
    static ImportOptions parse(List<String> args) {
        String yaml = null;
        String out = null;
        String from = null;
        String data = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                return new ImportOptions(true, null, null, Optional.empty(), Optional.empty());
            }
            String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (List.of("--out", "--from-node", "--data").contains(option)) {
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1)
                    : i + 1 < args.size() ? args.get(++i) : "";
                if (value.isBlank()) {
                    throw new IllegalArgumentException(option + " needs a directory");
                }
                switch (option) {
                    case "--out" -> out = value;
                    case "--from-node" -> from = value;
                    default -> data = value;
                }
            } else if (a.startsWith("-") && !a.equals("-")) {
                throw new IllegalArgumentException("unknown option " + a);
            } else if (yaml == null) {
                yaml = a;
            } else {
                throw new IllegalArgumentException("one YAML file only (also got " + a + ")");
            }
        }
        if (yaml == null) {
            throw new IllegalArgumentException("the old daemon's YAML file is missing");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is missing");
        }
        if (data != null && from == null) {
            throw new IllegalArgumentException("--data is only used with --from-node");
        }
        Path outDir = Path.of(out);
        Optional<Path> dataDir = Optional.ofNullable(data).map(Path::of);
        if (from != null && dataDir.isEmpty()) {
            Path parent = outDir.toAbsolutePath().normalize().getParent();
            if (parent == null) {
                throw new IllegalArgumentException("--from-node needs --data DIR when --out has no parent directory");
            }
            dataDir = Optional.of(parent.resolve("data"));
        }
        return new ImportOptions(false, yaml, outDir, Optional.ofNullable(from).map(Path::of), dataDir);
    }
}
