package io.opsd.collector.memory.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of {@code /proc/meminfo} the memory collector reports, in bytes.
 *
 * @param totalBytes MemTotal: the RAM the kernel can use
 * @param freeBytes MemFree: RAM used for nothing at all
 * @param availableBytes MemAvailable: what new work could get without swapping; on kernels before 3.14, which lack
 *     it, free + buffers + cached
 * @param buffersBytes Buffers
 * @param cachedBytes Cached + SReclaimable: the page cache and the slab the kernel can give back
 * @param swapTotalBytes SwapTotal, 0 without swap
 * @param swapFreeBytes SwapFree, 0 without swap
 */
record MemInfo(long totalBytes, long freeBytes, long availableBytes, long buffersBytes, long cachedBytes,
               long swapTotalBytes, long swapFreeBytes) {

    private static final long ABSENT = -1;

    /** Reads and parses {@code file}; throws when MemTotal or MemFree is missing. */
    static MemInfo read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        long total = ABSENT;
        long free = ABSENT;
        long available = ABSENT;
        long buffers = 0;
        long cached = 0;
        long reclaimable = 0;
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
                    case "SwapTotal" -> swapTotal = bytes(text, colon + 1, lineEnd);
                    case "SwapFree" -> swapFree = bytes(text, colon + 1, lineEnd);
                    default -> { }
                }
            }
            lineStart = lineEnd + 1;
        }
        if (total <= 0 || free < 0) {
            throw new IOException(file + " has no usable MemTotal or MemFree line");
        }
        cached += reclaimable;
        if (available < 0) {
            available = free + buffers + cached;
        }
        return new MemInfo(total, free, Math.min(available, total), buffers, cached, swapTotal, swapFree);
    }

    /** total − available: what cannot be had without swapping or killing something. */
    long usedBytes() {
        return Math.max(0, totalBytes - availableBytes);
    }

    double usageRatio() {
        return (double) usedBytes() / totalBytes;
    }

    long swapUsedBytes() {
        return Math.max(0, swapTotalBytes - swapFreeBytes);
    }

    /** 0 without swap. */
    double swapRatio() {
        return swapTotalBytes > 0 ? (double) swapUsedBytes() / swapTotalBytes : 0;
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
