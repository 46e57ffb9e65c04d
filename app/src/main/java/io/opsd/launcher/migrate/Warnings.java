package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The warnings of one import, each once (a key of agent_defaults is seen once per agent), in order. */
final class Warnings {

    private final Set<String> lines = new LinkedHashSet<>();

    void warn(String path, String text) {
        lines.add("warning: " + path + " " + text);
    }

    List<String> lines() {
        return new ArrayList<>(lines);
    }
}
