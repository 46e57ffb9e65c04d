package io.opsd.api.text;

import java.util.Locale;

/**
 * Sizes in bytes as an operator writes them in a configuration file ({@code 512B}, {@code 64KiB}, {@code 500MiB}),
 * which {@code io.opsd.api.config.ConfigValues.size} reads back exactly when the size is a whole number of its unit.
 */
public final class ByteSizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private ByteSizes() {
    }

    /**
     * The size in the largest binary unit (up to TiB) it reaches, with one decimal at most: {@code 512B},
     * {@code 1KiB}, {@code 1.5MiB}, {@code 500MiB}. A negative size (an unknown one) is shown as a plain number of
     * bytes.
     */
    public static String text(long bytes) {
        if (bytes < 1024) {
            return bytes + UNITS[0];
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = String.format(Locale.ROOT, "%.1f", value);
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + UNITS[unit];
    }
}
