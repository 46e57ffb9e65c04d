package io.opsd.host;

/**
 * Finds the blank-separated fields of one line of a proc file without allocating: collectors parse
 * {@code /proc/diskstats} and {@code /proc/net/dev} at every collection, and a regular expression split costs
 * five times as much.
 */
public final class ProcFields {

    private ProcFields() {
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
