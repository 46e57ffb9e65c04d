package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void parsesHomeInBothSpellings() {
        assertEquals(Optional.of("/x"), CommandLine.parse(new String[] {"--home", "/x"}).home());
        assertEquals(Optional.of("/y"), CommandLine.parse(new String[] {"--home=/y"}).home());
        assertTrue(CommandLine.parse(new String[] {"-V"}).version());
        assertTrue(CommandLine.parse(new String[] {"--help"}).help());
    }

    @Test
    void importConfigTakesEverythingAfterIt() {
        CommandLine line = CommandLine.parse(new String[] {"import-config", "daemon.yaml", "--out", "dir"});
        assertEquals(Optional.of(List.of("daemon.yaml", "--out", "dir")), line.importConfig());
        assertEquals(Optional.empty(), CommandLine.parse(new String[] {"--home", "/x"}).importConfig());
        assertEquals("unknown command import-config", assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"--home", "/x", "import-config"})).getMessage());
        assertTrue(CommandLine.usage().contains("import-config daemon.yaml --out DIR"));
    }

    @Test
    void cdsTakesTheHomeAndAnArchiveAndNothingElse() {
        CommandLine line = CommandLine.parse(new String[] {"cds", "--home", "/h", "--archive", "a.jsa"});
        assertEquals(Optional.of("/h"), line.home());
        assertEquals(Optional.of(Optional.of("a.jsa")), line.cds());
        assertEquals(Optional.of(Optional.empty()), CommandLine.parse(new String[] {"cds"}).cds());
        assertEquals(Optional.empty(), CommandLine.parse(new String[] {"--home", "/x"}).cds());
        assertEquals("--archive needs a file", assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"cds", "--archive"})).getMessage());
        assertEquals("unknown option --archive", assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"--archive", "a.jsa"})).getMessage());
    }

    @Test
    void rejectsWhatItDoesNotKnowWithAMessage() {
        assertEquals("--home needs a directory",
            assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--home"})).getMessage());
        assertEquals("unknown option --x",
            assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--x"})).getMessage());
        assertEquals("unknown command run",
            assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"run"})).getMessage());
    }

    @Test
    void theOldDaemonsSingleDashVersionAndHelpWork() {
        assertTrue(CommandLine.parse(new String[] {"-version"}).version());
        assertTrue(CommandLine.parse(new String[] {"-help"}).help());
    }

    @Test
    void theOldDaemonsConfigFlagIsAnsweredWithHowToConvertAndExitTwo() {
        for (String[] line : List.of(new String[] {"-config", "daemon.yaml"}, new String[] {"-config=daemon.yaml"},
            new String[] {"--config", "daemon.yaml"}, new String[] {"--home", "/h", "--config=daemon.yaml"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, Main.run(line, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), String.join(" ", line));
            String said = err.toString(StandardCharsets.UTF_8);
            assertTrue(said.startsWith("opsd: -config is the old daemon's flag"), said);
            assertTrue(said.contains("  java -jar opsd.jar import-config daemon.yaml --out DIR\n"), said);
            assertTrue(said.contains("-Dopsd.config.dir=DIR") && said.contains("--home HOME"), said);
            assertTrue(said.contains("docs/install.md#moving-from-the-old-daemon"), said);
            assertFalse(said.contains("Usage:"), said);
        }
        assertTrue(OldConfigFlag.advice("/etc/daemon/daemon.yaml")
            .contains("import-config /etc/daemon/daemon.yaml --out DIR"));
        assertTrue(new OldConfigFlag("").getMessage().contains("import-config daemon.yaml --out DIR"));
    }

    @Test
    void ctlTakesTheHomeInEverySpellingAndLeavesTheRestToTheClient() {
        for (List<String> home : List.of(List.of("--home", "/h"), List.of("-home", "/h"), List.of("--home=/h"),
            List.of("-home=/h"))) {
            List<String> args = new ArrayList<>(List.of("ctl", "-address", "127.0.0.1:1"));
            args.addAll(home);
            args.addAll(List.of("status", "c1"));
            CommandLine line = CommandLine.parse(args.toArray(new String[0]));
            assertEquals(Optional.of("/h"), line.home(), home.toString());
            assertEquals(Optional.of(List.of("-address", "127.0.0.1:1", "status", "c1")), line.ctl(), home.toString());
        }
        assertEquals("-home needs a directory", assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"ctl", "list", "-home"})).getMessage());
        assertEquals("--home needs a directory", assertThrows(IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"ctl", "--home=", "list"})).getMessage());
    }
}
