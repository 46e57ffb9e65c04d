package io.opsd.host;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * One shared, long-lived view of the host. Creating an oshi {@code SystemInfo} costs milliseconds, reusing it
 * microseconds, so every collector uses this service instead of its own.
 */
@ProviderType
public interface HostInfo {

    HardwareAbstractionLayer hardware();

    OperatingSystem operatingSystem();

    /** The proc file system ({@code /proc}); collectors read Linux counters there where oshi would cost more. */
    Path proc();

    /** The sys file system ({@code /sys}). */
    Path sys();

    /** The CPU and memory limits of opsd's own cgroup, read now. */
    CgroupLimits cgroupLimits();
}
