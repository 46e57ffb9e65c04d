package io.opsd.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@code .cfg} file the launcher reads before the framework starts, to seed a framework property from it. An
 * absent or unreadable file is empty here: FileInstall reads the file too, and reports what is wrong with it.
 */
final class CfgFile {

    private CfgFile() {
    }

    static Optional<Properties> read(Path cfg) {
        if (!Files.isRegularFile(cfg)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(p);
    }
}
