package io.opsd.host.internal;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.opsd.host.CgroupLimits;
import io.opsd.host.Cgroups;
import io.opsd.host.HostInfo;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/** The one oshi {@code SystemInfo} of the node, created at activation and kept. */
@Component
public final class OshiHostInfo implements HostInfo {

    private static final Path PROC = Path.of("/proc");
    private static final Path SYS = Path.of("/sys");

    private final HardwareAbstractionLayer hardware;
    private final OperatingSystem os;
    private final Cgroups cgroups = new Cgroups(PROC, SYS);

    @Activate
    public OshiHostInfo() {
        SystemInfo info = new SystemInfo();
        this.hardware = info.getHardware();
        this.os = info.getOperatingSystem();
    }

    @Override
    public HardwareAbstractionLayer hardware() {
        return hardware;
    }

    @Override
    public OperatingSystem operatingSystem() {
        return os;
    }

    @Override
    public Path proc() {
        return PROC;
    }

    @Override
    public Path sys() {
        return SYS;
    }

    @Override
    public CgroupLimits cgroupLimits() {
        return cgroups.read();
    }
}
