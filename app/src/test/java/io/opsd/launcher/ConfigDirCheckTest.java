package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDirCheckTest {

    @TempDir
    Path dir;

    @Test
    void aDanglingLinkAndADirectoryAreNamedOnceAndTheirFixIsToo() throws IOException {
        Files.writeString(dir.resolve("io.opsd.node.cfg"), "labels = a=b\n");
        Files.writeString(dir.resolve("notes.txt"), "not a configuration file\n");
        Path link = Files.createSymbolicLink(dir.resolve("io.opsd.agent-ghost.cfg"), dir.resolve("gone/ghost.cfg"));
        Path folder = Files.createDirectories(dir.resolve("io.opsd.agent-folder.cfg"));
        Files.createDirectories(dir.resolve("logs.d"));

        Map<Path, String> problems = ConfigDirCheck.problems(dir);
        assertEquals(List.of(folder, link), List.copyOf(problems.keySet()));
        assertTrue(problems.get(link).contains(dir.resolve("gone/ghost.cfg").toString()), problems.get(link));
        assertTrue(problems.get(folder).contains("directory"), problems.get(folder));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger rereads = new AtomicInteger();
        ConfigDirCheck check = new ConfigDirCheck(dir, new Console(new PrintStream(out, true, StandardCharsets.UTF_8)),
            rereads::incrementAndGet);
        check.check();
        check.check();
        String logged = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, logged.lines().count(), "each problem once:\n" + logged);
        assertEquals(0, rereads.get());
        assertTrue(logged.contains("WARN") && logged.contains(link.toString()) && logged.contains(folder.toString()),
            logged);

        Files.createDirectories(dir.resolve("gone"));
        Files.writeString(dir.resolve("gone/ghost.cfg"), "binary_path = /bin/true\n");
        Files.delete(folder);
        out.reset();
        check.check();
        assertEquals(Map.of(), ConfigDirCheck.problems(dir));
        logged = out.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains(link + " can be read again") && logged.contains(folder + " can be read again"),
            logged);
        assertEquals(1, rereads.get(), "the configuration is read again once");
    }
}
