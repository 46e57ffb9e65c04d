package io.opsd.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

class LogLevelsTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @Test
    void levelsApplyChangeAndResetWhenRemoved() {
        LogLevels levels = new LogLevels(Map.of("ROOT", "WARN", "io.opsd.node", "debug", "service.pid", "x"));
        assertEquals(Level.WARN, context.getLogger("ROOT").getLevel());
        assertEquals(Level.DEBUG, context.getLogger("io.opsd.node").getLevel());

        levels.modified(Map.of("ROOT", "INFO"));
        assertEquals(Level.INFO, context.getLogger("ROOT").getLevel());
        assertNull(context.getLogger("io.opsd.node").getLevel());

        levels.deactivate();
        assertEquals(LogLevels.DEFAULT_ROOT_LEVEL, context.getLogger("ROOT").getLevel());
    }

    @Test
    void aBadLevelKeepsThePreviousOne() {
        LogLevels levels = new LogLevels(Map.of("io.opsd.x", "DEBUG"));
        levels.modified(Map.of("io.opsd.x", "LOUD"));
        assertEquals(Level.DEBUG, context.getLogger("io.opsd.x").getLevel());
        levels.deactivate();
    }

    @Test
    void frameworkKeysAreNotLoggers() {
        assertFalse(LogLevels.isLoggerKey("service.pid"));
        assertFalse(LogLevels.isLoggerKey("felix.fileinstall.filename"));
        assertFalse(LogLevels.isLoggerKey("osgi.ds.satisfying.condition.target"));
        assertTrue(LogLevels.isLoggerKey("ROOT"));
        assertTrue(LogLevels.isLoggerKey("org.eclipse.jetty"));
    }
}
