package io.opsd.api.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.opsd.api.config.ConfigValues;

class ByteSizesTest {

    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;
    private static final long GIB = MIB * KIB;

    @Test
    void theLargestUnitReachedWithOneDecimalAtMost() {
        assertEquals("0B", ByteSizes.text(0));
        assertEquals("1023B", ByteSizes.text(1023));
        assertEquals("1KiB", ByteSizes.text(KIB));
        assertEquals("1.5KiB", ByteSizes.text(KIB + KIB / 2));
        assertEquals("500MiB", ByteSizes.text(500 * MIB));
        assertEquals("1.5GiB", ByteSizes.text(GIB + GIB / 2));
        assertEquals("2048TiB", ByteSizes.text(2048 * 1024 * GIB), "TiB is the largest unit");
        assertEquals("-1B", ByteSizes.text(-1));
    }

    @Test
    void aWholeNumberOfItsUnitReadsBackAsTheSameSize() {
        for (long size : new long[] {0, 1, 1023, KIB, 64 * KIB, 100 * MIB, 3 * GIB, 5 * GIB * KIB}) {
            assertEquals(size, ConfigValues.size(ByteSizes.text(size)), ByteSizes.text(size));
        }
    }
}
