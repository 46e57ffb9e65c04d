package io.opsd.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads the cgroup limits of this process from {@code <proc>/self/cgroup} and the cgroup file system under sys.
 * Where the cgroup is, is worked out at the first read and kept (a process does not change cgroup under
 * systemd or in a container); each read then costs only the few value files.
 */
public final class Cgroups {

    private final Path proc;
    private final Path sys;
    private volatile Reader reader;

    public Cgroups(Path proc, Path sys) {
        this.proc = proc;
        this.sys = sys;
    }

    public CgroupLimits read() {
        Reader r = reader;
        if (r == null) {
            r = locate();
            reader = r;
        }
        return r.read();
    }

    @FunctionalInterface
    private interface Reader {
        CgroupLimits read();
    }

    private Reader locate() {
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve("self/cgroup"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return () -> CgroupLimits.NONE;
        }
        String v2Path = null;
        String cpuPath = null;
        String memoryPath = null;
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            }
            for (String controller : f[1].split(",")) {
                if (controller.equals("cpu")) {
                    cpuPath = f[2];
                } else if (controller.equals("memory")) {
                    memoryPath = f[2];
                }
            }
        }
        Path root = sys.resolve("fs/cgroup");
        if (cpuPath != null || memoryPath != null) {
            Path cpuDir = cpuPath == null ? null : controllerDir(root, "cpu", cpuPath);
            Path memoryDir = memoryPath == null ? null : controllerDir(root, "memory", memoryPath);
            return () -> v1(cpuDir, memoryDir);
        }
        if (v2Path != null) {
            Path dir = root.resolve(relative(v2Path));
            return () -> v2(dir);
        }
        return () -> CgroupLimits.NONE;
    }

    private static CgroupLimits v2(Path dir) {
        OptionalDouble cpu = OptionalDouble.empty();
        String[] max = read(dir.resolve("cpu.max")).split("\\s+");
        if (max.length == 2 && !max[0].equals("max")) {
            cpu = quota(parse(max[0]), parse(max[1]));
        }
        String memoryMax = read(dir.resolve("memory.max"));
        OptionalLong limit = memoryMax.equals("max") ? OptionalLong.empty() : parse(memoryMax);
        return new CgroupLimits(2, cpu, limit, parse(read(dir.resolve("memory.current"))));
    }

    private static CgroupLimits v1(Path cpuDir, Path memoryDir) {
        OptionalDouble cpu = OptionalDouble.empty();
        if (cpuDir != null) {
            Path dir = cpuDir;
            cpu = quota(parse(read(dir.resolve("cpu.cfs_quota_us"))), parse(read(dir.resolve("cpu.cfs_period_us"))));
        }
        OptionalLong limit = OptionalLong.empty();
        OptionalLong usage = OptionalLong.empty();
        if (memoryDir != null) {
            Path dir = memoryDir;
            limit = parse(read(dir.resolve("memory.limit_in_bytes")));
            // v1 reports "no limit" as a huge number near Long.MAX_VALUE rounded to the page size
            if (limit.isPresent() && limit.getAsLong() >= Long.MAX_VALUE / 2) {
                limit = OptionalLong.empty();
            }
            usage = parse(read(dir.resolve("memory.usage_in_bytes")));
        }
        return new CgroupLimits(1, cpu, limit, usage);
    }

    private static Path controllerDir(Path root, String controller, String path) {
        Path named = root.resolve(controller);
        if (!Files.isDirectory(named) && controller.equals("cpu")) {
            named = root.resolve("cpu,cpuacct");
        }
        Path dir = named.resolve(relative(path));
        // inside a container the cgroup namespace shows the host's path, but only the container's cgroup is mounted
        return Files.isDirectory(dir) ? dir : named;
    }

    private static OptionalDouble quota(OptionalLong quota, OptionalLong period) {
        if (quota.isPresent() && period.isPresent() && quota.getAsLong() > 0 && period.getAsLong() > 0) {
            return OptionalDouble.of((double) quota.getAsLong() / period.getAsLong());
        }
        return OptionalDouble.empty();
    }

    private static String relative(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.contains("..") ? "" : p;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static OptionalLong parse(String text) {
        try {
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
