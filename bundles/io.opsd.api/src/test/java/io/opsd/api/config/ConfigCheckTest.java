package io.opsd.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    private final ConfigCheck check = ConfigCheck.of(Map.of("service.pid", "io.opsd.node",
        "felix.fileinstall.filename", "file:/etc/opsd/io.opsd.node.cfg"));

    @Test
    void rejectionNamesPidFileKeyValueAndWhatIsAllowed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> check.keyValues("labels", new String[] {"oops"}));
        assertEquals("io.opsd.node (/etc/opsd/io.opsd.node.cfg): labels = \"oops\" has \"oops\" without '=';"
            + " write key=value pairs separated by commas, such as site=lab,rack=r1", e.getMessage());
    }

    @Test
    void typedReadsThatFailNameTheKeyAndTheValueAsWritten() {
        ConfigCheck typed = ConfigCheck.of(Map.of("service.pid", "io.opsd.heartbeat", "felix.fileinstall.filename",
            "file:/etc/opsd/io.opsd.heartbeat.cfg", "queue_size", "lots", "cpu", "1,5", "enabled", "yes",
            "workers", "4", "verbose", "FALSE"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> typed.integer("queue_size", () -> Integer.parseInt("lots")));
        assertEquals("io.opsd.heartbeat (/etc/opsd/io.opsd.heartbeat.cfg): queue_size = \"lots\" is not a whole number",
            e.getMessage());
        assertEquals("io.opsd.heartbeat (/etc/opsd/io.opsd.heartbeat.cfg): cpu = \"1,5\" is not a number",
            assertThrows(InvalidConfigurationException.class,
                () -> typed.number("cpu", () -> Double.parseDouble("1,5"))).getMessage());
        assertEquals(4, typed.integer("workers", () -> 4));
        // the typed read would say false for "yes": a misspelt switch must not turn a feature off unnoticed
        assertEquals("io.opsd.heartbeat (/etc/opsd/io.opsd.heartbeat.cfg): enabled = \"yes\" is not true or false",
            assertThrows(InvalidConfigurationException.class, () -> typed.bool("enabled", () -> false)).getMessage());
        assertFalse(typed.bool("verbose", () -> false));
        assertTrue(typed.bool("absent", () -> true));
    }

    @Test
    void secretsAreNeverShown() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> check.duration("token", "hunter2"));
        assertTrue(e.getMessage().contains("token = <redacted>"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void withoutAFileThePidOrComponentNameIsTheSource() {
        assertEquals("io.opsd.x", ConfigCheck.of(Map.of("component.name", "io.opsd.x")).where());
        assertEquals(Duration.ofSeconds(1), check.duration("interval", "1s", Duration.ofMillis(100)));
        assertThrows(InvalidConfigurationException.class, () -> check.duration("interval", "10ms",
            Duration.ofMillis(100)));
    }
}
