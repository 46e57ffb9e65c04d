package io.opsd.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the value syntaxes every opsd PID shares. Each throws {@link IllegalArgumentException} with a
 * sentence saying what is allowed; {@link ConfigCheck} adds the PID, file and key.
 */
public final class ConfigValues {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?");

    private ConfigValues() {
    }

    /**
     * Parses a duration written as a whole number and a unit: {@code 500ms}, {@code 30s}, {@code 5m},
     * {@code 1h}, {@code 2d}. Units may be combined largest first ({@code 1m30s}).
     */
    public static Duration duration(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("is empty; write a duration such as 500ms, 30s, 5m or 1h");
        }
        Matcher m = DURATION.matcher(value);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("is not a duration; write a whole number and a unit (ms, s, m, h, d),"
                    + " such as 500ms, 30s, 5m or 1h");
            }
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is too large for a duration");
            }
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            at = m.end();
        }
        return total;
    }

    /**
     * Parses a size in bytes: a whole number with an optional unit, binary ({@code KiB}, {@code MiB},
     * {@code GiB}, {@code TiB}) or decimal ({@code KB}, {@code MB}, {@code GB}, {@code TB}); no unit means bytes.
     */
    public static long size(String text) {
        String value = text == null ? "" : text.trim();
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a size; write a whole number with an optional unit"
                + " (B, KiB, MiB, GiB, TiB, KB, MB, GB, TB), such as 64KiB or 100MiB");
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large for a size");
        }
    }

    /**
     * Splits a list. A {@code .cfg} value is one string, which DS hands to a {@code String[]} method as a single
     * element, so each element is split on commas; blanks are trimmed and empty entries dropped.
     */
    public static List<String> list(String[] values) {
        if (values == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String part : value.split(",")) {
                String item = part.trim();
                if (!item.isEmpty()) {
                    out.add(item);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Parses {@code key=value} pairs separated by commas ({@code site=lab,rack=r1}). Keys are letters, digits
     * and {@code . _ - /}, at most 63 characters; values may be empty and may not contain a comma or an equals sign.
     */
    public static Map<String, String> keyValues(String[] values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : list(values)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("has \"" + pair + "\" without '='; write key=value pairs separated by"
                    + " commas, such as site=lab,rack=r1");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (!key.matches("[A-Za-z0-9._/-]{1,63}")) {
                throw new IllegalArgumentException("has the key \"" + key + "\"; keys are 1 to 63 letters, digits,"
                    + " '.', '_', '-' or '/'");
            }
            if (value.indexOf('=') >= 0) {
                throw new IllegalArgumentException("has the value \"" + value + "\" for " + key
                    + "; a value may not contain '='");
            }
            if (out.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("names the key \"" + key + "\" twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether a key holds a secret whose value must never be logged. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("token") || k.contains("secret") || k.contains("password");
    }
}
