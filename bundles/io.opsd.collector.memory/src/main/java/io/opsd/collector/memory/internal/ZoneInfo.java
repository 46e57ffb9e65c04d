package io.opsd.collector.memory.internal;

/** Parses {@code /proc/zoneinfo}, which the memory collector reads only on kernels without MemAvailable. */
final class ZoneInfo {

    private ZoneInfo() {
    }

    /**
     * The sum of the low watermarks of every zone, in pages: the second field of each line whose first field starts
     * with {@code low}, a field that is not a number counting 0 (as gopsutil v3 does).
     */
    static long lowWatermarkPages(String text) {
        long pages = 0;
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].startsWith("low")) {
                try {
                    pages += Long.parseLong(fields[1]);
                } catch (NumberFormatException e) {
                    // counts 0, like the old daemon
                }
            }
        }
        return pages;
    }
}
