package io.opsd.host;

/**
 * Finds the blank-separated fields of one line of a proc file without allocating: collectors parse
 * {@code /proc/diskstats} and {@code /proc/net/dev} at every collection, and a regular expression split costs
 * five times as much.
 */
public final class ProcFields {

    private ProcFields() {
    }

    /** What is done with one line of a proc file: {@code text[from, to)}, without its newline. */
    @FunctionalInterface
    public interface Line {
        void read(int from, int to);
    }

    /** Hands {@code line} the bounds of every line of {@code text}, in order, without allocating. */
    public static void forEachLine(String text, Line line) {
        int from = 0;
        while (from < text.length()) {
            int to = text.indexOf('\n', from);
            if (to < 0) {
                to = text.length();
            }
            line.read(from, to);
            from = to + 1;
        }
    }

    /**
     * Finds the first {@code starts.length} fields of {@code text[from, to)}: field i is
     * {@code text.substring(starts[i], ends[i])}. Returns how many were found.
     */
    public static int split(String text, int from, int to, int[] starts, int[] ends) {
        int count = 0;
        int at = from;
        while (count < starts.length) {
            while (at < to && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at == to) {
                break;
            }
            starts[count] = at;
            while (at < to && !Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            ends[count++] = at;
        }
        return count;
    }
}
