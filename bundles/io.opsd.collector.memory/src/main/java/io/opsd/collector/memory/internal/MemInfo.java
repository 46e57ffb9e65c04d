package io.opsd.collector.memory.internal;

import java.io.IOException;

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

    /** Parses the text of {@code /proc/meminfo}; throws when MemTotal or MemFree is missing. */
    static MemInfo parse(String text) throws IOException {
        long total = ABSENT;
        long free = ABSENT;
        long available = ABSENT;
        long buffers = 0;
        long cached = 0;
        long reclaimable = ABSENT;
        long activeFile = ABSENT;
        long inactiveFile = ABSENT;
        long swapTotal = 0;
        long swapFree = 0;
        int lineStart = 0;
        while (lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            int colon = text.indexOf(':', lineStart);
            if (colon > lineStart && colon < lineEnd) {
                switch (text.substring(lineStart, colon)) {
                    case "MemTotal" -> total = bytes(text, colon + 1, lineEnd);
                    case "MemFree" -> free = bytes(text, colon + 1, lineEnd);
                    case "MemAvailable" -> available = bytes(text, colon + 1, lineEnd);
                    case "Buffers" -> buffers = bytes(text, colon + 1, lineEnd);
                    case "Cached" -> cached = bytes(text, colon + 1, lineEnd);
                    case "SReclaimable" -> reclaimable = bytes(text, colon + 1, lineEnd);
                    case "Active(file)" -> activeFile = bytes(text, colon + 1, lineEnd);
                    case "Inactive(file)" -> inactiveFile = bytes(text, colon + 1, lineEnd);
                    case "SwapTotal" -> swapTotal = bytes(text, colon + 1, lineEnd);
                    case "SwapFree" -> swapFree = bytes(text, colon + 1, lineEnd);
                    default -> { }
                }
            }
            lineStart = lineEnd + 1;
        }
        if (total <= 0 || free < 0) {
            throw new IOException("meminfo has no usable MemTotal or MemFree line");
        }
        return new MemInfo(total, free, available, buffers, cached, reclaimable, activeFile, inactiveFile, swapTotal,
            swapFree);
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
