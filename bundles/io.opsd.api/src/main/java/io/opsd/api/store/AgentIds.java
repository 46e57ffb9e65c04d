package io.opsd.api.store;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Agent ids, which become file and directory names: 1 to 100 ASCII letters, digits, '_', '.' or '-', starting
 * with a letter or digit. Nothing from outside reaches the file system without passing here.
 */
public final class AgentIds {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private AgentIds() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Returns {@code id}, or throws {@link IllegalArgumentException} saying what an id may be. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("invalid agent id " + quote(id) + ": use 1 to 100 ASCII letters,"
                + " digits, '_', '.' or '-', starting with a letter or digit");
        }
        return id;
    }

    /**
     * {@code dir/<id><suffix>}, checked to stay inside {@code dir} after normalisation (the pattern already forbids
     * separators; this is the second lock).
     */
    public static Path fileIn(Path dir, String id, String suffix) {
        require(id);
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve(id + suffix).normalize();
        if (!file.getParent().equals(base)) {
            throw new IllegalArgumentException("agent id " + quote(id) + " leads outside " + base);
        }
        return file;
    }

    private static String quote(String id) {
        if (id == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < id.length() && i < 120; i++) {
            char c = id.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(id.length() > 120 ? "...\"" : "\"").toString();
    }
}
