package io.opsd.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names the configuration files FileInstall skips without a word: a dangling symbolic link, a directory with a
 * configuration file's name, a file that cannot be read. Each problem is logged once, when it appears, and again
 * when it is gone; then {@code whenFixed} runs, since FileInstall does not notice that a link's target appeared.
 */
final class ConfigDirCheck {

    /** the names FileInstall reads, as {@code felix.fileinstall.filter} in {@link Node} */
    static final Pattern CONFIG_FILE = Pattern.compile(".*\\.(cfg|config)");

    private final Path dir;
    private final Console console;
    private final Runnable whenFixed;
    private Map<Path, String> reported = Map.of();

    ConfigDirCheck(Path dir, Console console, Runnable whenFixed) {
        this.dir = dir;
        this.console = console;
        this.whenFixed = whenFixed;
    }

    synchronized void check() {
        Map<Path, String> now = problems(dir);
        now.forEach((file, why) -> {
            if (!why.equals(reported.get(file))) {
                console.warn("configuration file " + file + " is not applied: " + why);
            }
        });
        boolean fixed = false;
        for (Path file : reported.keySet()) {
            if (!now.containsKey(file)) {
                console.info("configuration file " + file + " can be read again");
                fixed = true;
            }
        }
        reported = now;
        if (fixed) {
            whenFixed.run();
        }
    }

    /** Every configuration file of {@code dir} that cannot be read, with why. */
    static Map<Path, String> problems(Path dir) {
        Map<Path, String> problems = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.toList()) {
                if (!CONFIG_FILE.matcher(file.getFileName().toString()).matches()) {
                    continue;
                }
                if (Files.isSymbolicLink(file) && !Files.exists(file)) {
                    problems.put(file, "it is a symbolic link to " + target(file) + ", which does not exist");
                } else if (Files.isDirectory(file)) {
                    problems.put(file, "it is a directory; make it a file");
                } else if (!Files.isReadable(file)) {
                    problems.put(file, "it cannot be read; give the user running opsd read permission");
                }
            }
        } catch (IOException e) {
            problems.put(dir, "the directory cannot be listed (" + e + ")");
        }
        return problems;
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
