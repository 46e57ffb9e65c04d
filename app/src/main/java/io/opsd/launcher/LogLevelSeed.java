package io.opsd.launcher;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The OSGi log's root level from {@code org.osgi.service.log.admin.cfg}, as the framework property Felix Log reads
 * when it starts. Without it the root level is WARN until ConfigAdmin delivers that file, and whatever the bundles
 * log at INFO before then (FileInstall's "Creating configuration" lines, for one) is dropped or kept depending on
 * which file FileInstall happens to read first.
 */
final class LogLevelSeed {

    /** {@code LoggerContext.LOGGER_CONTEXT_DEFAULT_LOGLEVEL}: the launcher does not depend on the log API. */
    static final String DEFAULT_LEVEL = "org.osgi.service.log.admin.loglevel";
    static final String SHIPPED = "INFO";

    private static final Set<String> LEVELS = Set.of("AUDIT", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private LogLevelSeed() {
    }

    /** The root level the file names, {@code ERROR} for {@code OFF}, or the shipped INFO when it names none. */
    static String read(Path cfg) {
        String root = CfgFile.read(cfg).map(p -> p.getProperty("ROOT")).orElse(null);
        if (root == null) {
            return SHIPPED;
        }
        String level = root.trim().toUpperCase(Locale.ROOT);
        if (level.equals("OFF")) {
            return "ERROR"; // the OSGi log has no OFF; logback, which prints, still gets OFF from the file
        }
        return LEVELS.contains(level) ? level : SHIPPED;
    }
}
