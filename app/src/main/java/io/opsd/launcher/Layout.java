package io.opsd.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** The runtime directories (architecture.md §5), resolved and checked before the framework starts. */
record Layout(Path home, Path configDir, Path deployDir, Path dataDir, Path logDir, Path cacheDir, Path pidFile) {

    static final class DirectoryException extends Exception {
        private static final long serialVersionUID = 1L;

        DirectoryException(String message) {
            super(message);
        }
    }

    static Layout resolve(Optional<String> homeOption, Properties system, Map<String, String> env, Path cwd) {
        String homeText = homeOption.orElseGet(() -> {
            String p = system.getProperty("opsd.home");
            if (p != null && !p.isBlank()) {
                return p;
            }
            String e = env.get("OPSD_HOME");
            return e != null && !e.isBlank() ? e : cwd.toString();
        });
        Path home = cwd.resolve(homeText).normalize();
        Path data = dir(home, system, "opsd.data.dir", "data");
        return new Layout(home,
            dir(home, system, "opsd.config.dir", "runtime-config"),
            dir(home, system, "opsd.deploy.dir", "deploy"),
            data,
            dir(home, system, "opsd.log.dir", "logs"),
            data.resolve("cache"),
            dir(home, system, "opsd.pid.file", data.resolve("opsd.pid").toString()));
    }

    private static Path dir(Path home, Properties system, String key, String fallback) {
        String value = system.getProperty(key);
        return home.resolve(value == null || value.isBlank() ? fallback : value).normalize();
    }

    /** Creates what is missing and checks that each directory can be used; the message names the one that cannot. */
    void prepare() throws DirectoryException {
        Map<String, Path> writable = new LinkedHashMap<>();
        writable.put("data directory (opsd.data.dir)", dataDir);
        writable.put("log directory (opsd.log.dir)", logDir);
        writable.put("deploy directory (opsd.deploy.dir)", deployDir);
        writable.put("framework cache", cacheDir);
        writable.put("PID file directory (opsd.pid.file)", pidFile.getParent());
        ensure("configuration directory (opsd.config.dir)", configDir, false);
        for (Map.Entry<String, Path> e : writable.entrySet()) {
            ensure(e.getKey(), e.getValue(), true);
        }
    }

    private static void ensure(String what, Path dir, boolean mustWrite) throws DirectoryException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DirectoryException("cannot use the " + what + " " + dir + ": it is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DirectoryException("cannot create the " + what + " " + dir + ": " + e);
        }
        if (!Files.isReadable(dir)) {
            throw new DirectoryException("cannot read the " + what + " " + dir + ": permission denied");
        }
        if (mustWrite && !Files.isWritable(dir)) {
            throw new DirectoryException("cannot write to the " + what + " " + dir + ": permission denied");
        }
    }
}
