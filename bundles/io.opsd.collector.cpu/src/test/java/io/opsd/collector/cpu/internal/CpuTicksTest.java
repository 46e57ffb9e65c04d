package io.opsd.collector.cpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CpuTicksTest {

    @Test
    void theFirstSampleGivesNoShareThenSharesComeFromTheDifference() {
        CpuTicks t = new CpuTicks();
        assertNull(t.update(new long[] {1000, 0, 500, 8000, 500, 0, 0, 0}));
        CpuTicks.Shares s = t.update(new long[] {1300, 0, 600, 8500, 600, 0, 0, 0});
        assertNotNull(s);
        // 300 user + 100 system of 1000 ms; 500 idle and 100 iowait are not busy
        assertEquals(0.4, s.busy(), 1e-9);
        assertEquals(0.3, s.of(CpuTicks.USER), 1e-9);
        assertEquals(0.1, s.of(CpuTicks.IOWAIT), 1e-9);
    }

    @Test
    void aCounterGoingBackwardsReseedsInsteadOfGivingANegativeOrHugeShare() {
        CpuTicks t = new CpuTicks();
        t.update(new long[] {1000, 0, 500, 8000, 500, 0, 0, 0});
        assertNull(t.update(new long[] {10, 0, 5, 80, 5, 0, 0, 0}), "reset: no share");
        CpuTicks.Shares s = t.update(new long[] {20, 0, 5, 90, 5, 0, 0, 0});
        assertEquals(0.5, s.busy(), 1e-9);
    }

    @Test
    void noTimePassingGivesNoShare() {
        CpuTicks t = new CpuTicks();
        t.update(new long[] {1, 1, 1, 1, 1, 1, 1, 1});
        assertNull(t.update(new long[] {1, 1, 1, 1, 1, 1, 1, 1}));
    }
}
