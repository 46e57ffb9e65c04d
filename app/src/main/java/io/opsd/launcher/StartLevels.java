package io.opsd.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Start level by Bundle-SymbolicName, from the {@code level.N} and {@code default.level} launcher settings. */
final class StartLevels {

    private final Map<Integer, List<String>> patterns;
    private final int defaultLevel;

    StartLevels(Properties settings) {
        TreeMap<Integer, List<String>> byLevel = new TreeMap<>();
        for (String key : settings.stringPropertyNames()) {
            if (key.startsWith("level.")) {
                int level = Integer.parseInt(key.substring("level.".length()));
                List<String> list = new ArrayList<>();
                for (String p : settings.getProperty(key).split(",")) {
                    if (!p.isBlank()) {
                        list.add(p.trim());
                    }
                }
                byLevel.put(level, list);
            }
        }
        this.patterns = byLevel;
        this.defaultLevel = Integer.parseInt(settings.getProperty("default.level", "1").trim());
    }

    int levelOf(String symbolicName) {
        for (Map.Entry<Integer, List<String>> e : patterns.entrySet()) {
            for (String pattern : e.getValue()) {
                if (matches(pattern, symbolicName)) {
                    return e.getKey();
                }
            }
        }
        return defaultLevel;
    }

    /** The level the framework is raised to: every bundle's level. */
    int beginning() {
        int max = defaultLevel;
        for (int level : patterns.keySet()) {
            max = Math.max(max, level);
        }
        return max;
    }

    private static boolean matches(String pattern, String name) {
        return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
            : pattern.equals(name);
    }
}
