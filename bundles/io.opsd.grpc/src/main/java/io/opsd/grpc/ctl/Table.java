package io.opsd.grpc.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns as Go's {@code tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)} lays out lines written as
 * {@code "a\tb\tc\n"}: each column as wide as its widest cell plus 2 spaces, the last cell not padded.
 */
final class Table {

    static final int PADDING = 2;

    private Table() {
    }

    static List<String> lines(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] + PADDING - r[i].codePointCount(0, r[i].length())));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
