package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminLayerTest {

    @TempDir
    Path dir;

    @Test
    void valuesSurviveAReloadAndAnEmptyLayerDropsItsFile() throws Exception {
        AdminLayer layer = new AdminLayer(dir);
        Pids.Pid agent = Pids.parse("io.opsd.agent-web1");
        Map<String, String> values = Map.of("binary_path", "/bin/sleep", "args", "60 = sixty: #1", "env", "A=b,C=d",
            "name", "caf\u00e9");
        layer.put(agent, values);
        assertTrue(Files.isRegularFile(dir.resolve("io.opsd.agent-web1.cfg")));
        assertFalse(Files.exists(dir.resolve("io.opsd.agent-web1.cfg.tmp")));

        AdminLayer again = new AdminLayer(dir);
        assertEquals(values, again.get("io.opsd.agent~web1"));

        again.put(agent, Map.of());
        assertFalse(Files.exists(dir.resolve("io.opsd.agent-web1.cfg")));
        assertFalse(again.has("io.opsd.agent~web1"));
        assertEquals(Map.of(), new AdminLayer(dir).all());
    }
}
