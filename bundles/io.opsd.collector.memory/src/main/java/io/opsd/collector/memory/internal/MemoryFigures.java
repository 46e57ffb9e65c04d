package io.opsd.collector.memory.internal;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The figures of one {@code /proc/meminfo} reading. "Used" has two meanings side by side: the old daemon's
 * (gopsutil v3 {@code mem.VirtualMemory} on Linux: total − free − buffers − cache), which the Manager's contract
 * keys keep, and opsd's (total − available: what cannot be had without swapping), on /metrics and under new keys.
 *
 * @param totalBytes MemTotal
 * @param freeBytes MemFree
 * @param availableBytes MemAvailable; on kernels without it, gopsutil v3's estimate (see {@link #of})
 * @param buffersBytes Buffers
 * @param cachedBytes Cached + SReclaimable: the page cache and the slab the kernel can give back
 * @param usedBytes the old daemon's used: total − free − buffers − cached, never below 0
 * @param usedAvailableBytes opsd's used: total − available, never below 0
 * @param swapTotalBytes SwapTotal
 * @param swapFreeBytes SwapFree
 */
record MemoryFigures(long totalBytes, long freeBytes, long availableBytes, long buffersBytes, long cachedBytes,
                     long usedBytes, long usedAvailableBytes, long swapTotalBytes, long swapFreeBytes) {

    /**
     * The figures of {@code m}. {@code lowWatermarkBytes} (the zones' low watermarks from {@code /proc/zoneinfo},
     * empty when it cannot be read) is asked only on kernels before 3.14, which have no MemAvailable; then
     * available is, as in gopsutil v3: with Active(file), Inactive(file) and SReclaimable present and zoneinfo
     * readable, free − low + (file pages − min(file pages / 2, low)) + (SReclaimable − min(SReclaimable / 2, low));
     * otherwise cached + free.
     */
    static MemoryFigures of(MemInfo m, Supplier<OptionalLong> lowWatermarkBytes) {
        long reclaimable = m.has(m.reclaimableSlabBytes()) ? m.reclaimableSlabBytes() : 0;
        long cached = m.pageCacheBytes() + reclaimable;
        long available;
        if (m.has(m.memAvailableBytes())) {
            available = m.memAvailableBytes();
        } else if (m.has(m.activeFileBytes()) && m.has(m.inactiveFileBytes()) && m.has(m.reclaimableSlabBytes())) {
            OptionalLong low = lowWatermarkBytes.get();
            available = low.isPresent() ? estimate(m, low.getAsLong()) : m.freeBytes() + cached;
        } else {
            available = cached + m.freeBytes();
        }
        long total = m.totalBytes();
        // gopsutil subtracts in unsigned arithmetic and wraps to a huge number where opsd stops at 0
        long used = Math.max(0, total - m.freeBytes() - m.buffersBytes() - cached);
        return new MemoryFigures(total, m.freeBytes(), available, m.buffersBytes(), cached, used,
            Math.max(0, total - available), m.swapTotalBytes(), m.swapFreeBytes());
    }

    private static long estimate(MemInfo m, long low) {
        long fileCache = m.activeFileBytes() + m.inactiveFileBytes();
        long slab = m.reclaimableSlabBytes();
        long available = m.freeBytes() - low + fileCache - Math.min(fileCache / 2, low) + slab
            - Math.min(slab / 2, low);
        return Math.max(0, available);
    }

    /** The old daemon's usage_percent: used / total × 100. */
    double usagePercent() {
        return 100.0 * usedBytes / totalBytes;
    }

    /** opsd's share of RAM in use, 0 to 1: (total − available) / total. */
    double usageAvailableRatio() {
        return (double) usedAvailableBytes / totalBytes;
    }

    long swapUsedBytes() {
        return Math.max(0, swapTotalBytes - swapFreeBytes);
    }

    /** 0 without swap. */
    double swapPercent() {
        return swapTotalBytes > 0 ? 100.0 * swapUsedBytes() / swapTotalBytes : 0;
    }
}
