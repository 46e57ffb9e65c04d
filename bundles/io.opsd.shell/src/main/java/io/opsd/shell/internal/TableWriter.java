package io.opsd.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row and rows of cells, every column left aligned and as wide as its widest cell, two
 * spaces between columns, no trailing spaces. A missing or empty cell shows as {@code -}; line breaks and other
 * control characters in a cell become spaces, so every row stays one line.
 */
final class TableWriter {

    static final String GAP = "  ";

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    TableWriter(String... header) {
        this.header = clean(header);
    }

    TableWriter row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
        }
        rows.add(clean(cells));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    List<String> lines() {
        int[] widths = new int[header.length];
        for (String[] r : allRows()) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(widths[i] - r[i].length())).append(GAP);
                }
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }

    void print(PrintStream out) {
        lines().forEach(out::println);
    }

    private List<String[]> allRows() {
        List<String[]> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String[] clean(Object[] cells) {
        return Arrays.stream(cells).map(TableWriter::cell).toArray(String[]::new);
    }

    static String cell(Object value) {
        String s = value == null ? "" : String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        String text = b.toString().strip();
        return text.isEmpty() ? "-" : text;
    }
}
