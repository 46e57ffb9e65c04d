package io.opsd.collector.network.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

import io.opsd.api.config.InvalidConfigurationException;

class NetworkSettingsTest {

    static NetworkCollectorConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(NetworkCollectorConfig.class);
    }

    static Map<String, Object> props(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.collector.network");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.collector.network.cfg");
        return props;
    }

    static NetworkSettings settings(Map<String, Object> values) {
        return NetworkSettings.of(config(values), props(values));
    }

    @Test
    void theScheduleIsLeftToTheEngine() {
        assertDoesNotThrow(() -> settings(Map.of("interval", "1 minute")));
    }

    @Test
    void badValuesNameFileKeyValueAndWhatIsAllowed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("interfaces", "eth0,eth 1")));
        assertTrue(e.getMessage().startsWith("io.opsd.collector.network (/etc/opsd/io.opsd.collector.network.cfg):"
            + " interfaces = \"eth0,eth 1\" has \"eth 1\", which is not an interface name or prefix"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("exclude_interfaces", "lo,*veth")));
        assertTrue(e.getMessage().contains("exclude_interfaces = \"lo,*veth\" has \"*veth\""), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("exclude_interfaces", "averyveryverylongname*")));
        assertTrue(e.getMessage().contains("at most 15 characters"), e.getMessage());
    }
}
