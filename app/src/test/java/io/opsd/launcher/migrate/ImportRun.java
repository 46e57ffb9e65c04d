package io.opsd.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Runs import-config in-process and reads what it wrote, for the import-config tests. */
final class ImportRun {

    private final Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int conversions;

    ImportRun(Path dir) {
        this.dir = dir;
    }

    int run(String... args) {
        return ImportConfig.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Writes {@code yaml} to daemon.yaml and imports it into a new directory; the import must succeed. */
    Path convert(String yaml) throws IOException {
        Path out = dir.resolve("out-" + ++conversions);
        assertEquals(0, run(yaml(yaml).toString(), "--out", out.toString()), err());
        return out;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("daemon.yaml"), text);
    }

    /** A copy of a resource under src/test/resources/migrate. */
    Path resource(String name) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/migrate/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    /** The file as FileInstall reads it (Properties syntax), keys sorted. */
    static Map<String, String> cfg(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    /** Asserts that {@code expected} are lines of {@code file}, one after the other. */
    static void assertLines(Path file, String... expected) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (Collections.indexOfSubList(lines, List.of(expected)) < 0) {
            throw new AssertionError("lines\n" + String.join("\n", expected) + "\nnot in " + file + ":\n"
                + String.join("\n", lines));
        }
    }
}
