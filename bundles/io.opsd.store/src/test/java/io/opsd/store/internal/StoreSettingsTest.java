package io.opsd.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

import io.opsd.api.config.InvalidConfigurationException;

class StoreSettingsTest {

    private static StoreSettings of(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.store");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.store.cfg");
        return StoreSettings.of(Converters.standardConverter().convert(values).to(StoreConfig.class), props);
    }

    @Test
    void defaultsMatchTheDesign() {
        assertEquals(StoreSettings.DEFAULT, of(Map.of()));
    }

    @Test
    void badValuesNameTheFileAndKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> of(Map.of("flush_interval", "1ms")));
        assertTrue(e.getMessage().startsWith("io.opsd.store (/etc/opsd/io.opsd.store.cfg): flush_interval"),
            e.getMessage());
        e = assertThrows(InvalidConfigurationException.class, () -> of(Map.of("history_max_points", 5)));
        assertTrue(e.getMessage().contains("history_max_points = \"5\" is out of range"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> of(Map.of("history_retention", "forever")));
    }
}
