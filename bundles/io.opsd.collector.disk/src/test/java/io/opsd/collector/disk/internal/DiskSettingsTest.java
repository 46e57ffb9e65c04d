package io.opsd.collector.disk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

import io.opsd.api.config.InvalidConfigurationException;

class DiskSettingsTest {

    static DiskCollectorConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(DiskCollectorConfig.class);
    }

    static Map<String, Object> props(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.collector.disk");
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.collector.disk.cfg");
        return props;
    }

    static DiskSettings settings(Map<String, Object> values) {
        return DiskSettings.of(config(values), props(values));
    }

    @Test
    void defaultsReportEveryMountButPseudoFileSystems() {
        DiskSettings s = settings(Map.of());
        assertEquals(Set.of(), s.selection().mountPoints());
        assertTrue(s.selection().excludedFsTypes().containsAll(Set.of("tmpfs", "overlay", "fuse.lxcfs", "cgroup2",
            "squashfs", "nsfs")));
        assertTrue(!s.selection().excludedFsTypes().contains("ext4"));
    }

    @Test
    void listsComeAsOneCommaSeparatedValue() {
        DiskSettings s = settings(Map.of("mount_points", "/, /data/ ,/srv", "exclude_fs_types", "tmpfs,nfs4"));
        assertEquals(Set.of("/", "/data", "/srv"), s.selection().mountPoints());
        assertEquals(Set.of("tmpfs", "nfs4"), s.selection().excludedFsTypes());
    }

    @Test
    void badValuesNameFileKeyValueAndWhatIsAllowed() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("mount_points", "/,data")));
        assertTrue(e.getMessage().startsWith("io.opsd.collector.disk (/etc/opsd/io.opsd.collector.disk.cfg):"
            + " mount_points = \"/,data\" has \"data\", which is not an absolute path"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("exclude_fs_types", "tmpfs;overlay")));
        assertTrue(e.getMessage().contains("exclude_fs_types = \"tmpfs;overlay\" has \"tmpfs;overlay\", which is not"
            + " a file system type"), e.getMessage());
    }

    @Test
    void theScheduleIsLeftToTheEngine() {
        assertEquals(settings(Map.of()), settings(Map.of("interval", "50ms", "timeout", "soon")));
    }
}
