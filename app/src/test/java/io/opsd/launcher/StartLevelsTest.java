package io.opsd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StartLevelsTest {

    private final StartLevels levels = new StartLevels(Main.launcherSettings());

    @Test
    void spiFlyComesFirstThenLoggingThenConfigurationThenEverythingElse() {
        assertEquals(1, levels.levelOf("org.apache.aries.spifly.dynamic.bundle"));
        assertEquals(1, levels.levelOf("org.objectweb.asm.tree"));
        assertEquals(2, levels.levelOf("slf4j.api"));
        assertEquals(2, levels.levelOf("ch.qos.logback.classic"));
        assertEquals(3, levels.levelOf("org.apache.felix.fileinstall"));
        assertEquals(3, levels.levelOf("org.apache.felix.scr"));
        assertEquals(5, levels.levelOf("io.opsd.node"));
        assertEquals(5, levels.levelOf("org.apache.felix.http.jetty12"));
        assertEquals(6, levels.levelOf("io.opsd.agent"));
        assertEquals(5, levels.levelOf("io.opsd.agent.types"));
        assertEquals(6, levels.beginning());
    }
}
