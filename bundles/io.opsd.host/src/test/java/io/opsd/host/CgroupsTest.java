package io.opsd.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTest {

    @TempDir
    Path root;

    private Path write(String path, String text) throws Exception {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsV2QuotaAndMemory() throws Exception {
        write("proc/self/cgroup", "0::/system.slice/opsd.service\n");
        write("sys/fs/cgroup/system.slice/opsd.service/cpu.max", "150000 100000\n");
        write("sys/fs/cgroup/system.slice/opsd.service/memory.max", "536870912\n");
        write("sys/fs/cgroup/system.slice/opsd.service/memory.current", "104857600\n");
        CgroupLimits l = new Cgroups(root.resolve("proc"), root.resolve("sys")).read();
        assertEquals(2, l.version());
        assertEquals(OptionalDouble.of(1.5), l.cpuQuotaCores());
        assertEquals(OptionalLong.of(536870912), l.memoryLimitBytes());
        assertEquals(OptionalLong.of(104857600), l.memoryUsageBytes());
    }

    @Test
    void v2WithoutLimitsHasNoQuota() throws Exception {
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/cpu.max", "max 100000\n");
        write("sys/fs/cgroup/memory.max", "max\n");
        write("sys/fs/cgroup/memory.current", "42\n");
        CgroupLimits l = new Cgroups(root.resolve("proc"), root.resolve("sys")).read();
        assertEquals(OptionalDouble.empty(), l.cpuQuotaCores());
        assertEquals(OptionalLong.empty(), l.memoryLimitBytes());
        assertEquals(OptionalLong.of(42), l.memoryUsageBytes());
    }

    @Test
    void readsV1FromTheContainersOwnMountWhenTheHostPathIsNotThere() throws Exception {
        write("proc/self/cgroup", "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n");
        write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "50000\n");
        write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1000\n");
        CgroupLimits l = new Cgroups(root.resolve("proc"), root.resolve("sys")).read();
        assertEquals(1, l.version());
        assertEquals(OptionalDouble.of(0.5), l.cpuQuotaCores());
        assertEquals(OptionalLong.empty(), l.memoryLimitBytes(), "v1's 'unlimited' is no limit");
        assertEquals(OptionalLong.of(1000), l.memoryUsageBytes());
    }

    @Test
    void noCgroupFileMeansNoLimits() {
        assertEquals(CgroupLimits.NONE, new Cgroups(root.resolve("proc"), root.resolve("sys")).read());
    }
}
