package io.opsd.collector.cpu.internal;

import io.opsd.api.collector.MetricSet;

/**
 * Turns successive readings of {@code /proc/stat} into the CPU time figures of a sample: the Manager's contract
 * keys with the old daemon's meanings (gopsutil v3 {@code cpu.Times} and {@code cpu.Percent}), opsd's grouped
 * times under new keys, and the per-mode series and busy ratio on /metrics. Not thread-safe; one per collector.
 */
final class CpuTimeFigures {

    private final BusyPercent busyPercent = new BusyPercent();
    private final CpuTicks ticks = new CpuTicks();

    void addTo(MetricSet.Builder set, CpuTimes now) {
        busyPercent.update(now).ifPresent(percent -> set.value("usage_percent", percent));
        CpuTicks.Shares shares = ticks.update(now.modes());
        if (shares != null) {
            set.gauge("usage_ratio", "Share of the last interval the CPUs were busy (not idle, not waiting for I/O)",
                shares.busy());
            for (int mode = 0; mode < CpuTicks.MODES.length; mode++) {
                set.value(CpuTicks.MODES[mode] + "_percent", 100 * shares.of(mode));
            }
        }
        // the old daemon's cpu.Times fields: one mode each, seconds since boot
        set.value("user", CpuTimes.seconds(now.user()))
            .value("system", CpuTimes.seconds(now.system()))
            .value("idle", CpuTimes.seconds(now.idle()))
            .value("iowait", CpuTimes.seconds(now.iowait()));
        set.value("user_nice", CpuTimes.seconds(now.user() + now.nice()))
            .value("system_irq", CpuTimes.seconds(now.system() + now.irq() + now.softirq()));
        long[] modes = now.modes();
        for (int mode = 0; mode < CpuTicks.MODES.length; mode++) {
            set.counter("seconds_total", "CPU time since boot by mode, all CPUs together",
                CpuTimes.seconds(modes[mode]), "mode", CpuTicks.MODES[mode]);
        }
    }
}
