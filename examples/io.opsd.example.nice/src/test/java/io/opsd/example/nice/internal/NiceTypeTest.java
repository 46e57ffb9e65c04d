package io.opsd.example.nice.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentDefinition;

class NiceTypeTest {

    private static AgentDefinition agent(Map<String, Object> properties) {
        return new AgentDefinition("a", "nice", Path.of("/usr/bin/x"), List.of("-v", "a b"), Optional.empty(),
            Path.of("/var/lib/opsd/work/a"), properties);
    }

    @Test
    void theBinaryRunsUnderNiceWithTheConfiguredLevel() {
        assertEquals(List.of("/usr/bin/nice", "-n", "10", "/usr/bin/x", "-v", "a b"),
            new NiceType().command(agent(Map.of())));
        assertEquals(List.of("/usr/bin/nice", "-n", "19", "/usr/bin/x", "-v", "a b"),
            new NiceType().command(agent(Map.of(NiceType.LEVEL, " 19 "))));
    }

    @Test
    void aLevelThatWouldRaiseThePriorityOrIsNoNumberIsRefusedWithTheKey() {
        for (String bad : List.of("-5", "0", "20", "ten", "10; reboot")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NiceType().command(agent(Map.of(NiceType.LEVEL, bad))));
            assertEquals("nice.level = \"" + bad.trim() + "\" is not a whole number from 1 to 19", e.getMessage());
        }
    }
}
