package io.opsd.api.runtime;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * The runtime directories, from the framework properties that the opsd launcher sets ({@code opsd.home},
 * {@code opsd.data.dir}, {@code opsd.log.dir}, {@code opsd.version}). On Karaf, which does not set them, state
 * goes under {@code ${karaf.data}/opsd} and logs under {@code ${karaf.log}/opsd}.
 */
public final class RuntimePaths {

    public static final String DATA_DIR = "opsd.data.dir";
    public static final String LOG_DIR = "opsd.log.dir";
    public static final String VERSION = "opsd.version";

    private RuntimePaths() {
    }

    /** Directory for durable state (node id, store). */
    public static Path dataDir(BundleContext context) {
        return directory(context, DATA_DIR, "karaf.data", context.getDataFile("").toPath());
    }

    /** Directory for log files (agent logs). */
    public static Path logDir(BundleContext context) {
        return directory(context, LOG_DIR, "karaf.log", dataDir(context).resolve("logs"));
    }

    /** The opsd version: {@code opsd.version} from the launcher, else the calling bundle's version. */
    public static String version(BundleContext context) {
        String version = context.getProperty(VERSION);
        return version != null && !version.isBlank() ? version : context.getBundle().getVersion().toString();
    }

    private static Path directory(BundleContext context, String key, String karafKey, Path fallback) {
        String value = context.getProperty(key);
        if (value != null && !value.isBlank()) {
            return Path.of(value);
        }
        String karaf = context.getProperty(karafKey);
        if (karaf != null && !karaf.isBlank()) {
            return Path.of(karaf, "opsd");
        }
        return fallback;
    }
}
