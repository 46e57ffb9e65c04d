package io.opsd.api.runtime;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The runtime directories, from the framework properties that the opsd launcher sets ({@code opsd.home},
 * {@code opsd.data.dir}, {@code opsd.log.dir}, {@code opsd.version}). On Karaf, which does not set them, state
 * goes under {@code ${karaf.data}/opsd} and logs under {@code ${karaf.log}/opsd}. In a framework that sets none of
 * these, both go under {@code opsd} in the system bundle's data area: one place for every bundle, since one bundle
 * writes what another reads (the agent bundle an agent's log, {@code opsd:agent-log} in the shell bundle).
 */
public final class RuntimePaths {

    public static final String DATA_DIR = "opsd.data.dir";
    public static final String LOG_DIR = "opsd.log.dir";
    public static final String VERSION = "opsd.version";

    private RuntimePaths() {
    }

    /** Directory for durable state (node id, store). */
    public static Path dataDir(BundleContext context) {
        return directory(context, DATA_DIR, "karaf.data", () -> frameworkArea(context));
    }

    /** Directory for log files (agent logs). */
    public static Path logDir(BundleContext context) {
        return directory(context, LOG_DIR, "karaf.log", () -> dataDir(context).resolve("logs"));
    }

    /** The opsd version: {@code opsd.version} from the launcher, else the calling bundle's version. */
    public static String version(BundleContext context) {
        String version = context.getProperty(VERSION);
        return version != null && !version.isBlank() ? version : context.getBundle().getVersion().toString();
    }

    /** {@code opsd} in the system bundle's data area, else (a framework without storage) in the caller's. */
    private static Path frameworkArea(BundleContext context) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        BundleContext systemContext = system == null ? null : system.getBundleContext();
        File area = systemContext == null ? null : systemContext.getDataFile("opsd");
        if (area == null) {
            area = context.getDataFile("opsd");
        }
        if (area == null) {
            throw new IllegalStateException("no opsd.data.dir and the framework has no storage for bundle data");
        }
        return area.toPath();
    }

    private static Path directory(BundleContext context, String key, String karafKey, Supplier<Path> fallback) {
        String value = context.getProperty(key);
        if (value != null && !value.isBlank()) {
            return Path.of(value);
        }
        String karaf = context.getProperty(karafKey);
        if (karaf != null && !karaf.isBlank()) {
            return Path.of(karaf, "opsd");
        }
        return fallback.get();
    }
}
