package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void rejectsWhatItDoesNotKnowWithAMessage() {
        assertEquals("--home needs a directory",
            assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--home"})).getMessage());
        assertEquals("unknown option --x",
            assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--x"})).getMessage());
        assertEquals("unknown command run",
            assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"run"})).getMessage());
    }
}
