package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLevelSeedTest {

    @TempDir
    Path dir;

    @Test
    void theRootLevelOfTheFileOrInfo() throws Exception {
        Path cfg = dir.resolve("org.osgi.service.log.admin.cfg");
        assertEquals("INFO", LogLevelSeed.read(cfg), "no file: the shipped level");
        Files.writeString(cfg, "# levels\nROOT = debug\nEvents = WARN\n");
        assertEquals("DEBUG", LogLevelSeed.read(cfg));
        Files.writeString(cfg, "ROOT = OFF\n");
        assertEquals("ERROR", LogLevelSeed.read(cfg), "the OSGi log has no OFF");
        Files.writeString(cfg, "io.opsd = DEBUG\n");
        assertEquals("INFO", LogLevelSeed.read(cfg), "no ROOT key");
    }

    @Test
    void aValueTheLogDoesNotKnowOrAFileThatCannotBeReadGiveTheShippedLevel() throws Exception {
        Path cfg = dir.resolve("org.osgi.service.log.admin.cfg");
        Files.writeString(cfg, "ROOT = LOUD\n");
        assertEquals("INFO", LogLevelSeed.read(cfg));
        Files.writeString(cfg, "ROOT = \\u12\n"); // a malformed \\uXXXX escape
        assertEquals("INFO", LogLevelSeed.read(cfg));
    }
}
