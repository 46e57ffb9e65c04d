package io.opsd.collector.disk.internal;

import java.util.HashMap;
import java.util.Map;

import io.opsd.host.ProcFields;

/**
 * Parses {@code /proc/diskstats}: the bytes read and written since boot per block device, found by the device
 * number a mount names ({@code 253:0} is {@code dm-0}, an LVM volume) or by the kernel's name.
 */
final class DiskStats {

    // diskstats counts in 512-byte sectors whatever the device's own sector size
    private static final long SECTOR_BYTES = 512;
    // major minor name reads merged sectors-read ms-reading writes merged sectors-written ...
    private static final int FIELDS = 10;
    private static final int SECTORS_READ = 5;
    private static final int SECTORS_WRITTEN = 9;

    private final Map<String, Device> byNumber;
    private final Map<String, Device> byName;

    /**
     * One block device.
     *
     * @param name the kernel's name, such as {@code sda1} or {@code dm-0}
     * @param readBytes bytes read since boot
     * @param writtenBytes bytes written since boot
     */
    record Device(String name, long readBytes, long writtenBytes) {
    }

    private DiskStats(Map<String, Device> byNumber, Map<String, Device> byName) {
        this.byNumber = byNumber;
        this.byName = byName;
    }

    /** The devices of {@code text}; lines that do not have the diskstats shape are skipped. */
    static DiskStats parse(String text) {
        Map<String, Device> byNumber = new HashMap<>();
        Map<String, Device> byName = new HashMap<>();
        // scanned by hand: a regular expression split costs a microsecond a line, and a host may list hundreds
        int[] starts = new int[FIELDS];
        int[] ends = new int[FIELDS];
        ProcFields.forEachLine(text, (from, to) -> {
            if (ProcFields.split(text, from, to, starts, ends) == FIELDS) {
                try {
                    Device device = new Device(text.substring(starts[2], ends[2]),
                        SECTOR_BYTES * Long.parseLong(text, starts[SECTORS_READ], ends[SECTORS_READ], 10),
                        SECTOR_BYTES * Long.parseLong(text, starts[SECTORS_WRITTEN], ends[SECTORS_WRITTEN], 10));
                    byNumber.put(text.substring(starts[0], ends[0]) + ":" + text.substring(starts[1], ends[1]), device);
                    byName.put(device.name(), device);
                } catch (NumberFormatException e) {
                    // not a device line: skipped
                }
            }
        });
        return new DiskStats(byNumber, byName);
    }

    /**
     * The device numbered {@code majorMinor}, else the one named {@code kernelName} (may be null); null when
     * neither is a block device, as for network file systems.
     */
    Device device(String majorMinor, String kernelName) {
        Device device = byNumber.get(majorMinor);
        if (device == null && kernelName != null) {
            device = byName.get(kernelName);
        }
        return device;
    }
}
