package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {

    @TempDir
    Path tmp;

    @Test
    void homeComesFromTheOptionThenThePropertyThenTheEnvironmentThenTheWorkingDirectory() {
        Properties sys = new Properties();
        Map<String, String> env = Map.of("OPSD_HOME", "/env/home");
        Path cwd = Path.of("/work");
        assertEquals(Path.of("/opt/x"), Layout.resolve(Optional.of("/opt/x"), sys, env, cwd).home());
        sys.setProperty("opsd.home", "rel");
        assertEquals(Path.of("/work/rel"), Layout.resolve(Optional.empty(), sys, env, cwd).home());
        assertEquals(Path.of("/env/home"), Layout.resolve(Optional.empty(), new Properties(), env, cwd).home());
        assertEquals(cwd, Layout.resolve(Optional.empty(), new Properties(), Map.of(), cwd).home());
    }

    @Test
    void directoriesDefaultUnderHomeAndRelativeOverridesResolveAgainstIt() {
        Properties sys = new Properties();
        sys.setProperty("opsd.data.dir", "state");
        sys.setProperty("opsd.log.dir", "/var/log/opsd");
        Layout l = Layout.resolve(Optional.of("/h"), sys, Map.of(), Path.of("/"));
        assertEquals(Path.of("/h/runtime-config"), l.configDir());
        assertEquals(Path.of("/h/deploy"), l.deployDir());
        assertEquals(Path.of("/h/state"), l.dataDir());
        assertEquals(Path.of("/h/state/cache"), l.cacheDir());
        assertEquals(Path.of("/h/state/opsd.pid"), l.pidFile());
        assertEquals(Path.of("/var/log/opsd"), l.logDir());
    }

    @Test
    void prepareCreatesWhatIsMissingAndNamesWhatCannotBeUsed() throws Exception {
        Layout ok = Layout.resolve(Optional.of(tmp.resolve("a").toString()), new Properties(), Map.of(), tmp);
        ok.prepare();
        assertTrue(Files.isDirectory(ok.deployDir()) && Files.isDirectory(ok.cacheDir()));

        Path home = tmp.resolve("b");
        Files.createDirectories(home);
        Files.writeString(home.resolve("logs"), "a file");
        Layout bad = Layout.resolve(Optional.of(home.toString()), new Properties(), Map.of(), tmp);
        Layout.DirectoryException e = assertThrows(Layout.DirectoryException.class, bad::prepare);
        assertEquals("cannot use the log directory (opsd.log.dir) " + home.resolve("logs") + ": it is not a directory",
            e.getMessage());
    }
}
