package io.opsd.collector.disk.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.collector.disk} configuration but for the schedule, which the engine reads. */
record DiskSettings(MountSelection selection) {

    private static final Pattern FS_TYPE = Pattern.compile("[A-Za-z0-9._+-]+");

    /** Validates {@code config}; throws {@code InvalidConfigurationException} naming the PID, file and key. */
    static DiskSettings of(DiskCollectorConfig config, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        Set<String> mountPoints = new LinkedHashSet<>();
        for (String mountPoint : check.list("mount_points", config.mount__points())) {
            if (!mountPoint.startsWith("/")) {
                throw check.invalid("mount_points", config.mount__points(), "has \"" + mountPoint + "\", which is not"
                    + " an absolute path; write mount points as df shows them, such as /,/data, or leave it empty"
                    + " for every mount");
            }
            mountPoints.add(withoutTrailingSlash(mountPoint));
        }
        Set<String> excluded = new LinkedHashSet<>();
        for (String type : check.list("exclude_fs_types", config.exclude__fs__types())) {
            if (!FS_TYPE.matcher(type).matches()) {
                throw check.invalid("exclude_fs_types", config.exclude__fs__types(), "has \"" + type + "\", which is"
                    + " not a file system type; write types as /proc/self/mountinfo names them, such as"
                    + " tmpfs,overlay,fuse.lxcfs");
            }
            excluded.add(type);
        }
        return new DiskSettings(new MountSelection(mountPoints, excluded));
    }

    private static String withoutTrailingSlash(String mountPoint) {
        int end = mountPoint.length();
        while (end > 1 && mountPoint.charAt(end - 1) == '/') {
            end--;
        }
        return mountPoint.substring(0, end);
    }
}
