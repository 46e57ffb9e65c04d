package io.opsd.collector.memory.internal;

import java.io.IOException;
import java.util.List;

import io.opsd.host.ProcFields;

/**
 * The lines of {@code /proc/meminfo} the memory collector uses, in bytes, as the kernel gives them; a line the
 * kernel does not have is {@link #ABSENT}.
 *
 * @param totalBytes MemTotal: the RAM the kernel can use
 * @param freeBytes MemFree: RAM used for nothing at all
 * @param memAvailableBytes MemAvailable (kernel 3.14 and later): what new work could get without swapping
 * @param buffersBytes Buffers
 * @param pageCacheBytes Cached: the page cache alone
 * @param reclaimableSlabBytes SReclaimable: the kernel slab that can be given back
 * @param activeFileBytes Active(file)
 * @param inactiveFileBytes Inactive(file)
 * @param swapTotalBytes SwapTotal, 0 without swap
 * @param swapFreeBytes SwapFree, 0 without swap
 */
record MemInfo(long totalBytes, long freeBytes, long memAvailableBytes, long buffersBytes, long pageCacheBytes,
               long reclaimableSlabBytes, long activeFileBytes, long inactiveFileBytes, long swapTotalBytes,
               long swapFreeBytes) {

    static final long ABSENT = -1;

    // the lines read, in the order of the record's components
    private static final List<String> LINES = List.of("MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
        "SReclaimable", "Active(file)", "Inactive(file)", "SwapTotal", "SwapFree");

    /** Parses the text of {@code /proc/meminfo}; throws when MemTotal or MemFree is missing. */
    static MemInfo parse(String text) throws IOException {
        // a missing buffers, cache or swap line counts 0; the others are ABSENT, which MemoryFigures works around
        long[] v = {ABSENT, ABSENT, ABSENT, 0, 0, ABSENT, ABSENT, ABSENT, 0, 0};
        ProcFields.forEachLine(text, (from, to) -> {
            int colon = text.indexOf(':', from);
            if (colon > from && colon < to) {
                int line = LINES.indexOf(text.substring(from, colon));
                if (line >= 0) {
                    v[line] = bytes(text, colon + 1, to);
                }
            }
        });
        if (v[0] <= 0 || v[1] < 0) {
            throw new IOException("meminfo has no usable MemTotal or MemFree line");
        }
        return new MemInfo(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    boolean has(long field) {
        return field != ABSENT;
    }

    /** The number in {@code text[from, to)}, such as {@code "   16314752 kB"}; kB are multiplied to bytes. */
    private static long bytes(String text, int from, int to) {
        int at = from;
        while (at < to && text.charAt(at) == ' ') {
            at++;
        }
        long value = 0;
        while (at < to && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            value = value * 10 + (text.charAt(at) - '0');
            at++;
        }
        return text.startsWith(" kB", at) ? value * 1024 : value;
    }
}
