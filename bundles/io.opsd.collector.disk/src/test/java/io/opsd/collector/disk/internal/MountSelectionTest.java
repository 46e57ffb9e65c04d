package io.opsd.collector.disk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.opsd.collector.disk.internal.MountInfo.Mount;

class MountSelectionTest {

    private static final List<Mount> MOUNTS = List.of(
        new Mount("0:21", "/proc", "proc", "proc"),
        new Mount("0:24", "/run", "tmpfs", "tmpfs"),
        new Mount("253:0", "/", "ext4", "/dev/mapper/vg-root"),
        new Mount("8:16", "/srv/nfs/exports", "xfs", "/dev/sdb"),
        new Mount("8:16", "/data", "xfs", "/dev/sdb"),
        new Mount("253:0", "/var/lib/docker", "ext4", "/dev/mapper/vg-root"),
        new Mount("0:45", "/var/lib/docker/overlay2/abc/merged", "overlay", "overlay"));

    private static List<String> mountPoints(List<Mount> mounts) {
        return mounts.stream().map(Mount::mountPoint).toList();
    }

    @Test
    void excludedTypesAreLeftOutAndEachDeviceIsReportedOnceAtItsShortestMountPoint() {
        MountSelection selection = new MountSelection(Set.of(), Set.of("proc", "tmpfs", "overlay"));
        assertEquals(List.of("/", "/data"), mountPoints(selection.select(MOUNTS)));
    }

    @Test
    void listedMountPointsAreReportedWhateverTheirType() {
        MountSelection selection = new MountSelection(Set.of("/run", "/srv/nfs/exports"), Set.of("tmpfs"));
        assertEquals(List.of("/run", "/srv/nfs/exports"), mountPoints(selection.select(MOUNTS)));
    }

    @Test
    void aLaterMountOnTheSameMountPointHidesTheEarlierOne() {
        List<Mount> mounts = List.of(new Mount("8:1", "/mnt", "ext4", "/dev/sda1"),
            new Mount("8:2", "/mnt", "ext4", "/dev/sda2"));
        List<Mount> selected = new MountSelection(Set.of(), Set.of()).select(mounts);
        assertEquals(List.of(new Mount("8:2", "/mnt", "ext4", "/dev/sda2")), selected);
    }
}
