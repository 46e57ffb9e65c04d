package io.opsd.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import io.opsd.api.config.InvalidConfigurationException;

class NodeSettingsTest {

    @TempDir
    Path data;

    static NodeConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(NodeConfig.class);
    }

    static Map<String, Object> props(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.node");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.node.cfg");
        return props;
    }

    static NodeSettings settings(Map<String, Object> values) {
        return NodeSettings.of(config(values), props(values));
    }

    @Test
    void defaultsAreEmpty() {
        NodeSettings s = settings(Map.of());
        assertEquals(Optional.empty(), s.id());
        assertEquals(Map.of(), s.labels());
        assertEquals(Optional.empty(), s.advertiseAddress());
    }

    @Test
    void labelsComeInOrder() {
        assertEquals(List.of("site", "rack"), List.copyOf(settings(Map.of("labels", "site=lab,rack=r1")).labels()
            .keySet()));
    }

    @Test
    void badValuesNameFileKeyValueAndWhatIsAllowed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("id", "../etc")));
        assertTrue(e.getMessage().startsWith("io.opsd.node (/etc/opsd/io.opsd.node.cfg): id = \"../etc\" is not a"
            + " valid node id"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class, () -> settings(Map.of("labels", "broken")));
        assertTrue(e.getMessage().contains("labels = \"broken\""), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("advertise_address", "10.0.0.1; rm -rf /")));
        assertTrue(e.getMessage().contains("advertise_address"), e.getMessage());
    }

    @Test
    void aRejectedEditKeepsThePreviousSettings() {
        NodeIdentityComponent node = new NodeIdentityComponent(data, Path.of("/proc"), "1.2.3",
            settings(Map.of("labels", "site=lab")));
        node.modified(config(Map.of("labels", "site")), props(Map.of("labels", "site")));
        assertEquals(Map.of("site", "lab"), node.labels());
        node.modified(config(Map.of("labels", "site=dc2")), props(Map.of("labels", "site=dc2")));
        assertEquals(Map.of("site", "dc2"), node.labels());
        assertEquals("1.2.3", node.snapshot().opsdVersion());
    }
}
