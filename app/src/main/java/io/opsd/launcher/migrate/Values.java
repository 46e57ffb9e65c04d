package io.opsd.launcher.migrate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The old daemon's value syntaxes (Go durations, sizes in MB, YAML lists) turned into opsd's ({@code 30s},
 * {@code 100MiB}, one string). A value that cannot be turned is reported with its path and left out, so opsd's
 * default applies.
 */
final class Values {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
    private static final long MILLI = 1_000_000L;

    private final Warnings warnings;

    Values(Warnings warnings) {
        this.warnings = warnings;
    }

    /** A scalar as text; a mapping or a list is reported. Null and empty strings are absent. */
    Optional<String> text(YamlMap.Entry e) {
        Object v = e.value();
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof YamlMap || v instanceof List) {
            warnings.warn(e.path(), "is not a single value; not carried over");
            return Optional.empty();
        }
        String s = String.valueOf(v).trim();
        if (s.contains("${") || s.contains("$[")) {
            warnings.warn(e.path(), "contains \"${\" or \"$[\", which opsd's configuration files substitute;"
                + " check the value written");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    Optional<String> bool(YamlMap.Entry e) {
        if (e.value() instanceof Boolean b) {
            return Optional.of(b.toString());
        }
        Optional<String> t = text(e);
        if (t.isEmpty()) {
            return t;
        }
        String s = t.get().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Optional.of(s);
        }
        warnings.warn(e.path(), "= " + t.get() + " is not true or false; not carried over");
        return Optional.empty();
    }

    /** An integer from {@code min} to {@code max}. */
    Optional<String> integer(YamlMap.Entry e, long min, long max) {
        Optional<String> t = text(e);
        if (t.isEmpty()) {
            return t;
        }
        if (INTEGER.matcher(t.get()).matches()) {
            try {
                long n = Long.parseLong(t.get());
                if (n >= min && n <= max) {
                    return Optional.of(Long.toString(n));
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        warnings.warn(e.path(), "= " + t.get() + " is not a whole number from " + min + " to " + max
            + "; not carried over");
        return Optional.empty();
    }

    /** A number of at least 0 (a percentage). */
    Optional<String> number(YamlMap.Entry e) {
        Optional<String> t = text(e);
        if (t.isEmpty()) {
            return t;
        }
        try {
            BigDecimal d = new BigDecimal(t.get());
            if (d.signum() >= 0) {
                return Optional.of(d.stripTrailingZeros().toPlainString());
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        warnings.warn(e.path(), "= " + t.get() + " is not a number of at least 0; not carried over");
        return Optional.empty();
    }

    /**
     * A Go duration ({@code 30s}, {@code 1m30s}, {@code 1.5s}, {@code 500ms}) in nanoseconds; a bare
     * {@code 0} is zero, another bare number is read as seconds (with a warning).
     */
    Optional<Long> nanos(YamlMap.Entry e) {
        Optional<String> t = text(e);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        String s = t.get();
        if (INTEGER.matcher(s).matches() && !s.startsWith("-")) {
            long n = Long.parseLong(s);
            if (n != 0) {
                warnings.warn(e.path(), "= " + s + " has no unit; read as " + s + "s");
            }
            return Optional.of(n * 1_000_000_000L);
        }
        Matcher m = GO_DURATION.matcher(s);
        BigDecimal total = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                warnings.warn(e.path(), "= " + s + " is not a duration (such as 30s, 1m30s or 500ms); not carried over");
                return Optional.empty();
            }
            BigDecimal unit = switch (m.group(2)) {
                case "ns" -> BigDecimal.ONE;
                case "ms" -> BigDecimal.valueOf(MILLI);
                case "s" -> BigDecimal.valueOf(1_000_000_000L);
                case "m" -> BigDecimal.valueOf(60_000_000_000L);
                case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
                default -> BigDecimal.valueOf(1_000L); // us, µs
            };
            total = total.add(new BigDecimal(m.group(1)).multiply(unit));
            at = m.end();
        }
        try {
            return Optional.of(total.setScale(0, RoundingMode.UP).longValueExact());
        } catch (ArithmeticException ex) {
            warnings.warn(e.path(), "= " + s + " is too long; not carried over");
            return Optional.empty();
        }
    }

    /** A duration in opsd's syntax, at least {@code minMillis} (a shorter one is reported and left out). */
    Optional<String> duration(YamlMap.Entry e, long minMillis) {
        Optional<Long> n = nanos(e);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        long ns = n.get();
        if (ns < minMillis * MILLI) {
            warnings.warn(e.path(), "= " + text(e).orElse("") + " is shorter than opsd allows (" + minMillis
                + "ms); not carried over, opsd's default applies");
            return Optional.empty();
        }
        return Optional.of(format(ns));
    }

    /** Whole milliseconds at least, in the largest unit that divides them: 90s, 5m, 1h, 1500ms. */
    static String format(long nanos) {
        long ms = (nanos + MILLI - 1) / MILLI;
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** A size: a bare number is megabytes as the old daemon meant them (MiB); a size with a unit is kept. */
    Optional<String> sizeInMegabytes(YamlMap.Entry e) {
        Optional<String> t = text(e);
        if (t.isEmpty()) {
            return t;
        }
        String s = t.get();
        if (s.matches("\\d+")) {
            return Optional.of(s.equals("0") ? "0" : s + "MiB");
        }
        if (SIZE.matcher(s).matches()) {
            return Optional.of(s.replace(" ", ""));
        }
        warnings.warn(e.path(), "= " + s + " is not a size (megabytes, or such as 100MiB); not carried over");
        return Optional.empty();
    }

    /**
     * A number of bytes (the old daemon's {@code memory_threshold} is a uint64 compared with RSS bytes), written
     * exactly: in the largest binary unit that divides it ({@code 524288000} is {@code 500MiB}), else in bytes.
     */
    Optional<Long> bytes(YamlMap.Entry e) {
        Optional<String> t = text(e);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        if (t.get().matches("\\d{1,18}")) {
            return Optional.of(Long.parseLong(t.get()));
        }
        warnings.warn(e.path(), "= " + t.get() + " is not a number of bytes (the old daemon read a whole number);"
            + " not carried over");
        return Optional.empty();
    }

    /** {@code bytes} in opsd's size syntax, exactly equal: {@code 500MiB}, {@code 1536KiB}, {@code 512B}. */
    static String exactSize(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }

    /** A list of words, or one comma-separated string, as opsd's comma list. */
    Optional<String> commaList(YamlMap.Entry e) {
        if (e.value() instanceof List<?> list) {
            List<String> words = new ArrayList<>();
            for (Object o : list) {
                String w = o == null ? "" : String.valueOf(o).trim();
                if (o instanceof YamlMap || o instanceof List || w.contains(",")) {
                    warnings.warn(e.path(), "has the entry \"" + w + "\", which cannot be one item of a comma list;"
                        + " not carried over");
                    return Optional.empty();
                }
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
            return words.isEmpty() ? Optional.empty() : Optional.of(String.join(",", words));
        }
        return text(e);
    }

    /**
     * An argument list as opsd's one {@code args} string: split on blanks, double quotes group words. An argument
     * with a double quote in it cannot be written that way, and then the whole list is left out.
     */
    Optional<String> args(YamlMap.Entry e) {
        if (!(e.value() instanceof List<?> list)) {
            return text(e); // already one string, as opsd wants it
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            String a = o == null ? "" : String.valueOf(o);
            if (o instanceof YamlMap || o instanceof List) {
                warnings.warn(e.path(), "holds a mapping or a list; args are not carried over");
                return Optional.empty();
            }
            if (a.indexOf('"') >= 0 || a.indexOf('\0') >= 0) {
                warnings.warn(e.path(), "has the argument " + a + ", which holds a double quote: opsd's args cannot"
                    + " express it (double quotes only group words); args are not carried over");
                return Optional.empty();
            }
            out.add(a.isEmpty() || a.chars().anyMatch(Character::isWhitespace) ? "\"" + a + "\"" : a);
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", out));
    }

    /**
     * {@code KEY=value} pairs separated by commas, from a mapping or a list of {@code KEY=value} strings. A pair
     * opsd cannot hold (a value with a comma or '=', blanks around it, an odd key) is reported and left out.
     */
    Optional<String> keyValues(YamlMap.Entry e) {
        List<String[]> pairs = new ArrayList<>();
        if (e.value() instanceof YamlMap m) {
            for (String k : m.keys()) {
                YamlMap.Entry v = m.claim(k).orElseThrow();
                pairs.add(new String[] {k, v.value() == null ? "" : String.valueOf(v.value()), v.path()});
            }
        } else if (e.value() instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String item = String.valueOf(list.get(i));
                int eq = item.indexOf('=');
                if (eq < 0 || list.get(i) instanceof YamlMap) {
                    warnings.warn(e.path() + "[" + i + "]", "is not KEY=value; not carried over");
                    continue;
                }
                pairs.add(new String[] {item.substring(0, eq), item.substring(eq + 1), e.path() + "[" + i + "]"});
            }
        } else if (e.value() != null) {
            warnings.warn(e.path(), "is neither a mapping nor a list; not carried over");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (String[] p : pairs) {
            String key = p[0];
            String value = p[1];
            if (!ENV_KEY.matcher(key).matches()) {
                warnings.warn(p[2], "has a name opsd does not accept (1 to 63 letters, digits, '.', '_', '-', '/');"
                    + " not carried over");
            } else if (value.indexOf(',') >= 0 || value.indexOf('=') >= 0 || !value.equals(value.trim())) {
                warnings.warn(p[2], "has a value with a comma, an '=' or blanks at an end, which opsd's"
                    + " KEY=value list cannot hold; not carried over");
            } else {
                out.add(key + "=" + value);
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(String.join(",", out));
    }
}
