package io.opsd.collector.disk.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.opsd.api.collector.CollectorSchedule;

@ObjectClassDefinition(name = "opsd disk collector",
    description = "Space used per file system (each device once, pseudo file systems excluded) and bytes read and"
        + " written, device-mapper aware.")
public @interface DiskCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the disk series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = CollectorSchedule.INTERVAL_DESCRIPTION
        + " The read and write rates are measured over this interval.")
    String interval() default CollectorSchedule.DEFAULT_INTERVAL;

    @AttributeDefinition(name = "Timeout", description = CollectorSchedule.TIMEOUT_DESCRIPTION)
    String timeout() default CollectorSchedule.DEFAULT_TIMEOUT;

    @AttributeDefinition(name = "Mount points", required = false,
        description = "Mount points to report, separated by commas, such as /,/data. Empty: every mount whose file"
            + " system type is not excluded. A listed mount point is reported whatever its type.")
    String[] mount__points() default {};

    @AttributeDefinition(name = "Excluded file system types", required = false,
        description = "File system types never reported unless their mount point is listed, separated by commas,"
            + " as /proc/self/mountinfo names them (tmpfs, overlay, fuse.lxcfs).")
    String[] exclude__fs__types() default {"tmpfs", "devtmpfs", "overlay", "overlayfs", "proc", "sysfs", "cgroup",
        "cgroup2", "squashfs", "autofs", "devpts", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf",
        "configfs", "fusectl", "hugetlbfs", "nsfs", "ramfs", "rpc_pipefs", "binfmt_misc", "efivarfs", "fuse.lxcfs",
        "nfsd", "selinuxfs"};
}
