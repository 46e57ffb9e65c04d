package io.opsd.collector.disk.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opsd.collector.disk.internal.MountInfo.Mount;

/**
 * Which mounts the collector reports: the listed mount points, or, when none are listed, every mount whose file
 * system type is not excluded. Each file system is reported once, at its shortest mount point: bind mounts and
 * repeated mounts of one device share its {@code major:minor}.
 *
 * @param mountPoints the mount points to report; empty for all
 * @param excludedFsTypes file system types left out unless their mount point is listed
 */
record MountSelection(Set<String> mountPoints, Set<String> excludedFsTypes) {

    MountSelection {
        mountPoints = Set.copyOf(mountPoints);
        excludedFsTypes = Set.copyOf(excludedFsTypes);
    }

    /** The mounts to report, in mount point order. */
    List<Mount> select(List<Mount> mounts) {
        // a later mount on the same mount point hides the earlier one
        Map<String, Mount> visible = new LinkedHashMap<>();
        for (Mount mount : mounts) {
            if (wanted(mount)) {
                visible.put(mount.mountPoint(), mount);
            }
        }
        Map<String, Mount> byDevice = new LinkedHashMap<>();
        for (Mount mount : visible.values()) {
            byDevice.merge(mount.device(), mount,
                (kept, other) -> other.mountPoint().length() < kept.mountPoint().length() ? other : kept);
        }
        List<Mount> selected = new ArrayList<>(byDevice.values());
        selected.sort(Comparator.comparing(Mount::mountPoint));
        return selected;
    }

    private boolean wanted(Mount mount) {
        if (mountPoints.isEmpty()) {
            return !excludedFsTypes.contains(mount.fsType());
        }
        return mountPoints.contains(mount.mountPoint());
    }
}
