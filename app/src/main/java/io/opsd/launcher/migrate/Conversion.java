package io.opsd.launcher.migrate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One import's state, shared by the parts that convert each section: the files so far and the warnings. */
final class Conversion {

    private final String source;
    private final Warnings warnings = new Warnings();
    private final Values values = new Values(warnings);
    private final Map<String, CfgFile> files = new LinkedHashMap<>();

    Conversion(String source) {
        this.source = source;
    }

    Warnings warnings() {
        return warnings;
    }

    Values values() {
        return values;
    }

    String source() {
        return source;
    }

    /** The file of {@code pid}, created with its header the first time. */
    CfgFile file(String pid, String what) {
        return files.computeIfAbsent(pid + ".cfg", name -> new CfgFile(name,
            pid + ": " + what + ", written by `java -jar opsd.jar import-config` from " + source + ".",
            "Keys not set here keep their defaults (the shipped runtime-config/" + name + " lists them all)."));
    }

    void add(CfgFile file) {
        files.put(file.name(), file);
    }

    List<CfgFile> files() {
        return List.copyOf(files.values());
    }
}
