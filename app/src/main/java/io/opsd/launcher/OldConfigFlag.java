package io.opsd.launcher;

/**
 * {@code -config daemon.yaml}, the old daemon's way to start: opsd reads a directory of .cfg files instead, so the
 * command line is refused with the two steps that convert the YAML, rather than with the usage text.
 */
final class OldConfigFlag extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    OldConfigFlag(String yaml) {
        super(advice(yaml.isBlank() ? "daemon.yaml" : yaml));
    }

    static String advice(String yaml) {
        return """
            opsd: -config is the old daemon's flag; opsd reads one .cfg file per PID from a directory instead.
            Convert the YAML once:
              java -jar opsd.jar import-config %1$s --out DIR
            then start opsd on DIR, either as HOME/runtime-config with --home HOME, or with -Dopsd.config.dir=DIR:
              java -Dopsd.config.dir=DIR -jar opsd.jar --home HOME
            See docs/install.md#moving-from-the-old-daemon.
            """.formatted(yaml);
    }
}
