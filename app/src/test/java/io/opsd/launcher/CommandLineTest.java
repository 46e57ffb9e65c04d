package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
