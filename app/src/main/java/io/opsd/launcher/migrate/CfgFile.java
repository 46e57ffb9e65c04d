package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .cfg} file the import writes: a header saying where it came from and what behaves as in the old daemon
 * or differs from it, then {@code key = value} lines in the order they were set, each with an optional comment; a
 * line may be written commented out, for the operator to turn on. Values are escaped the way FileInstall reads them
 * back (java.util.Properties syntax): backslashes doubled, line breaks and characters outside ASCII as escapes.
 */
final class CfgFile {

    private record Line(String value, String comment, boolean commentedOut) {
    }

    private final String name;
    private final List<String> header = new ArrayList<>();
    private final Set<String> keptOld = new LinkedHashSet<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final Map<String, Line> lines = new LinkedHashMap<>();

    CfgFile(String name, String... header) {
        this.name = name;
        this.header.addAll(List.of(header));
    }

    String name() {
        return name;
    }

    CfgFile set(String key, String value) {
        return set(key, value, null);
    }

    CfgFile set(String key, String value, String comment) {
        lines.put(key, new Line(value, comment, false));
        return this;
    }

    /** A line written commented out ({@code #key = value}): a setting the operator turns on by removing the '#'. */
    CfgFile suggest(String key, String value, String comment) {
        lines.put(key, new Line(value, comment, true));
        return this;
    }

    /** For the header: something this file keeps as the old daemon did, where opsd's own default differs. */
    CfgFile keptAsOld(String what) {
        keptOld.add(what);
        return this;
    }

    /** For the header: something that behaves differently from the old daemon. */
    CfgFile differs(String what) {
        changed.add(what);
        return this;
    }

    /** {@code key = value} as it is written in a file, for a comment that shows the line to write. */
    static String line(String key, String value) {
        return key + " = " + escape(value);
    }

    /** Every key the file names, set or suggested (written commented out), in order. */
    Set<String> keys() {
        return java.util.Collections.unmodifiableSet(lines.keySet());
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The value set for {@code key} (not commented out), or null. */
    String get(String key) {
        Line l = lines.get(key);
        return l == null || l.commentedOut() ? null : l.value();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        for (String h : header) {
            out.append("# ").append(h).append('\n');
        }
        list(out, "As the old daemon did (opsd's own default differs; the key's comment says how to change it):",
            keptOld);
        list(out, "Differs from the old daemon:", changed);
        lines.forEach((key, line) -> {
            out.append('\n');
            if (line.comment() != null) {
                for (String c : line.comment().split("\n")) {
                    out.append("# ").append(c).append('\n');
                }
            }
            out.append(line.commentedOut() ? "#" : "").append(line(key, line.value())).append('\n');
        });
        return out.toString();
    }

    private static void list(StringBuilder out, String title, Set<String> items) {
        if (!items.isEmpty()) {
            out.append("# ").append(title).append('\n');
            items.forEach(i -> out.append("# - ").append(i).append('\n'));
        }
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                default -> {
                    if (i == 0 && c == ' ') {
                        out.append("\\ "); // a leading blank would be dropped by the reader
                    } else if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
