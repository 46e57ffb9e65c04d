package io.opsd.host;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The limits of a cgroup (v1 or v2), as an operator inside a container sees them. Empty where there is no
 * limit, or no cgroup file system to read.
 *
 * @param version 1 or 2, 0 when no cgroup was found
 * @param cpuQuotaCores the CPU quota in cores (quota / period)
 * @param memoryLimitBytes the memory limit
 * @param memoryUsageBytes the memory the cgroup uses now
 */
public record CgroupLimits(int version, OptionalDouble cpuQuotaCores, OptionalLong memoryLimitBytes,
                           OptionalLong memoryUsageBytes) {

    public static final CgroupLimits NONE =
        new CgroupLimits(0, OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty());
}
