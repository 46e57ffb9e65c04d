package io.opsd.launcher.migrate;

import java.util.List;
import java.util.Optional;

/** The {@code collectors} section: one PID per collector; a collector the old daemon did not run stays off. */
final class CollectorMigration {

    private static final List<String> OLD_COLLECTORS = List.of("cpu", "memory", "disk", "network");

    private final Conversion c;

    CollectorMigration(Conversion c) {
        this.c = c;
    }

    void convert(Optional<YamlMap> section, String path) {
        for (String name : OLD_COLLECTORS) {
            Optional<YamlMap> settings = section.flatMap(s -> s.map(name, c.warnings()));
            CfgFile f = c.file("io.opsd.collector." + name, "the " + name + " collector");
            boolean enabled = settings.flatMap(m -> m.take("enabled")).flatMap(c.values()::bool)
                .map(Boolean::parseBoolean).orElse(false);
            f.set("enabled", Boolean.toString(enabled));
            if (!enabled && settings.map(m -> !m.has("enabled")).orElse(true)) {
                c.warnings().warn(path + "." + name + ".enabled", "is not set: the old daemon did not run this"
                    + " collector, so it is written as enabled = false (opsd's default is true)");
            }
            settings.ifPresent(m -> collector(name, m, f));
        }
        section.ifPresent(s -> {
            s.map("load", c.warnings()).ifPresent(m -> {
                CfgFile f = c.file("io.opsd.collector.load", "the load collector");
                m.take("enabled").flatMap(c.values()::bool).ifPresent(v -> f.set("enabled", v));
                collector("load", m, f);
            });
            for (String other : s.keys()) {
                if (!OLD_COLLECTORS.contains(other) && !other.equals("load")) {
                    s.claim(other);
                    c.warnings().warn(s.pathOf(other), "is not carried over: opsd has no " + other + " collector (a"
                        + " collector bundle can be hot-deployed, see docs/collectors.md)");
                }
            }
        });
    }

    private void collector(String name, YamlMap m, CfgFile f) {
        m.take("interval").flatMap(e -> c.values().duration(e, 100)).ifPresent(v -> f.set("interval", v));
        m.take("timeout").flatMap(e -> c.values().duration(e, 10)).ifPresent(v -> f.set("timeout", v));
        if (name.equals("disk")) {
            m.take("mount_points").flatMap(c.values()::commaList).ifPresent(v -> f.set("mount_points", v));
            m.take("exclude_fs_types").flatMap(c.values()::commaList).ifPresent(v -> f.set("exclude_fs_types", v));
        }
        if (name.equals("network")) {
            m.take("interfaces").flatMap(c.values()::commaList).ifPresent(v -> f.set("interfaces", v));
            m.take("exclude_interfaces").flatMap(c.values()::commaList).ifPresent(v -> f.set("exclude_interfaces", v));
        }
    }
}
