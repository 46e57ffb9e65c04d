package io.opsd.collector.disk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsd.collector.disk.internal.MountInfo.Mount;

class MountInfoTest {

    @Test
    void readsDeviceMountPointTypeAndSourceAcrossOptionalFields() {
        List<Mount> mounts = MountInfo.parse("""
            28 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw,errors=remount-ro
            31 28 8:16 / /data rw,relatime shared:31 master:2 - xfs /dev/sdb rw,attr2
            25 28 0:24 / /run rw,nosuid,nodev - tmpfs tmpfs rw,size=1631532k,mode=755
            """);
        assertEquals(List.of(new Mount("253:0", "/", "ext4", "/dev/mapper/vg-root"),
            new Mount("8:16", "/data", "xfs", "/dev/sdb"), new Mount("0:24", "/run", "tmpfs", "tmpfs")), mounts);
    }

    @Test
    void decodesTheKernelsOctalEscapes() {
        List<Mount> mounts = MountInfo.parse("40 28 8:32 / /mnt/my\\040backup\\134x rw - ext4 /dev/sdc rw\n");
        assertEquals("/mnt/my backup\\x", mounts.get(0).mountPoint());
        assertEquals("a\\b", MountInfo.unescape("a\\b"), "a backslash without three octal digits stays");
    }

    @Test
    void skipsLinesWithoutTheMountinfoShape() {
        assertEquals(List.of(), MountInfo.parse("\ngarbage\n1 2 3 4 5 6 7 8 9 10\n"));
    }
}
