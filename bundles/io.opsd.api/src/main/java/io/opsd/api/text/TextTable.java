package io.opsd.api.text;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row and rows of cells, laid out as Go's {@code tabwriter} (minimum width 0, padding
 * 2, spaces) lays out tab-separated lines, which the old daemonctl printed. Every column is left aligned and as wide
 * as its widest cell, in code points, with two spaces before the next; the last cell is not padded. A missing or
 * empty cell shows as {@code -}, so no line ends in spaces and every column can be split on blanks; line breaks and
 * other control characters in a cell (which may come from a remote node) become spaces, so every row stays one line.
 */
public final class TextTable {

    /** The spaces between two columns. */
    public static final String GAP = "  ";
    /** What an empty or missing cell shows. */
    public static final String EMPTY = "-";

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = clean(header);
    }

    /**
     * Adds a row, one cell per column; each cell is shown as its {@code String.valueOf}.
     *
     * @throws IllegalArgumentException if the row does not have one cell per column
     */
    public TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
        }
        rows.add(clean(cells));
        return this;
    }

    /** Whether no row has been added: the table is its header only. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header line, then one line per row in the order they were added. */
    public List<String> lines() {
        int[] widths = new int[header.length];
        for (String[] r : allRows()) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], width(r[i]));
            }
        }
        List<String> out = new ArrayList<>(rows.size() + 1);
        for (String[] r : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(widths[i] - width(r[i]))).append(GAP);
                }
            }
            out.add(line.toString());
        }
        return out;
    }

    public void print(PrintStream out) {
        lines().forEach(out::println);
    }

    private List<String[]> allRows() {
        List<String[]> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }

    private static String[] clean(Object[] cells) {
        return Arrays.stream(cells).map(TextTable::cell).toArray(String[]::new);
    }

    /** A cell as shown: control characters as spaces, trimmed, {@value #EMPTY} when nothing is left. */
    static String cell(Object value) {
        String s = value == null ? "" : String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        String text = b.toString().strip();
        return text.isEmpty() ? EMPTY : text;
    }
}
