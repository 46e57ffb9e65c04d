package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .cfg} file the import writes: a header saying where it came from, then {@code key = value} lines in
 * the order they were set, each with an optional comment. Values are escaped the way FileInstall reads them back
 * (java.util.Properties syntax): backslashes doubled, line breaks and characters outside ASCII as escapes.
 */
final class CfgFile {

    private record Line(String value, String comment) {
    }

    private final String name;
    private final List<String> header = new ArrayList<>();
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
        lines.put(key, new Line(value, comment));
        return this;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The value set for {@code key}, or null (for tests and for the summary). */
    String get(String key) {
        Line l = lines.get(key);
        return l == null ? null : l.value();
    }

    Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        lines.forEach((k, l) -> out.put(k, l.value()));
        return out;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        for (String h : header) {
            out.append("# ").append(h).append('\n');
        }
        lines.forEach((key, line) -> {
            out.append('\n');
            if (line.comment() != null) {
                for (String c : line.comment().split("\n")) {
                    out.append("# ").append(c).append('\n');
                }
            }
            out.append(key).append(" = ").append(escape(line.value())).append('\n');
        });
        return out.toString();
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
