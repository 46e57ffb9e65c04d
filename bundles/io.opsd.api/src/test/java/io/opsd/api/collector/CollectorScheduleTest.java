package io.opsd.api.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsd.api.config.ConfigCheck;
import io.opsd.api.config.InvalidConfigurationException;

class CollectorScheduleTest {

    private static Map<String, Object> props(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.collector.demo");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.collector.demo.cfg");
        return props;
    }

    @Test
    void absentKeysHaveTheDefaultsTheMetatypeDeclares() {
        assertEquals(CollectorSchedule.DEFAULT, CollectorSchedule.of(props(Map.of())));
        ConfigCheck check = ConfigCheck.of(props(Map.of()));
        assertEquals(CollectorSchedule.DEFAULT.interval(), check.duration("interval", CollectorSchedule.DEFAULT_INTERVAL));
        assertEquals(CollectorSchedule.DEFAULT.timeout(), check.duration("timeout", CollectorSchedule.DEFAULT_TIMEOUT));
    }

    @Test
    void readsCfgTextTypedValuesAndOneElementArrays() {
        assertEquals(new CollectorSchedule(false, Duration.ofMillis(700), Duration.ofSeconds(2)),
            CollectorSchedule.of(props(Map.of("enabled", " FALSE ", "interval", "700ms", "timeout", "2s"))));
        assertEquals(new CollectorSchedule(false, Duration.ofMinutes(2), Duration.ofSeconds(5)),
            CollectorSchedule.of(props(Map.of("enabled", Boolean.FALSE, "interval", new String[] {"2m"}))));
    }

    @Test
    void aBadValueNamesPidFileKeyAndWhatIsAllowed() {
        String where = "io.opsd.collector.demo (/etc/opsd/io.opsd.collector.demo.cfg): ";
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> CollectorSchedule.of(props(Map.of("enabled", "ture"))));
        assertEquals(where + "enabled = \"ture\" is not true or false", e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
            () -> CollectorSchedule.of(props(Map.of("interval", "50ms"))));
        assertTrue(e.getMessage().startsWith(where + "interval = \"50ms\" is too short"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
            () -> CollectorSchedule.of(props(Map.of("timeout", "soon"))));
        assertTrue(e.getMessage().startsWith(where + "timeout = \"soon\" is not a duration"), e.getMessage());
    }

    @Test
    void problemsListTheScheduleAndTheCollectorsOwnRefusals() {
        assertEquals(List.of(), CollectorSchedule.problems(Map.of("interval", "10s")));
        List<String> problems = CollectorSchedule.problems(Map.of("service.pid", "io.opsd.collector.demo", "interval", "soon",
            "mount_points", "/data,x"),
            MountPoints.class, (config, props) -> {
                throw new InvalidConfigurationException("mount_points = \"" + config.mount__points()[0] + "\" of "
                    + props.get("service.pid") + " is bad");
            });
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("interval = \"soon\""), problems.get(0));
        assertEquals("mount_points = \"/data,x\" of io.opsd.collector.demo is bad", problems.get(1));
    }

    /** A collector's own configuration type, as DS would hand it over. */
    @interface MountPoints {
        String[] mount__points() default {};
    }
}
