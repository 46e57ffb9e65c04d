package io.opsd.api.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Validates the values of one configuration and reports a rejected value with where it came from:
 * {@code io.opsd.node (/etc/opsd/io.opsd.node.cfg): labels = "x" has "x" without '='; write key=value ...}.
 *
 * <p>Create one per activation or {@code @Modified} call from the component properties DS passes in.
 */
public final class ConfigCheck {

    private static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final String where;
    private final Map<String, ?> props;

    private ConfigCheck(String where, Map<String, ?> props) {
        this.where = where;
        this.props = props;
    }

    public static ConfigCheck of(Map<String, ?> props) {
        Object pid = props.get("service.pid");
        if (pid == null) {
            Object name = props.get("component.name");
            pid = name == null ? "configuration" : name;
        }
        Object file = props.get(FILEINSTALL_FILENAME);
        return new ConfigCheck(file == null ? String.valueOf(pid) : pid + " (" + displayPath(file) + ")", props);
    }

    /** Where the configuration came from: the PID and, when a file was read, the file. */
    public String where() {
        return where;
    }

    public Duration duration(String key, String value) {
        return parse(key, value, ConfigValues::duration);
    }

    /** A duration that must be at least {@code min}. */
    public Duration duration(String key, String value, Duration min) {
        Duration d = duration(key, value);
        if (d.compareTo(min) < 0) {
            throw invalid(key, value, "is too short; the least allowed is " + min.toMillis() + "ms");
        }
        return d;
    }

    public long size(String key, String value) {
        return parse(key, value, ConfigValues::size);
    }

    public List<String> list(String key, String[] value) {
        return parse(key, value, ConfigValues::list);
    }

    public Map<String, String> keyValues(String key, String[] value) {
        return parse(key, value, ConfigValues::keyValues);
    }

    /** An absolute path of a readable regular file, such as a certificate. */
    public Path readableFile(String key, String value) {
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw invalid(key, value, "is not an absolute path");
        }
        if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
            throw invalid(key, value, "is not a readable file");
        }
        return p;
    }

    /**
     * A whole number read through the typed configuration ({@code config::queue__size}): a value that is none, which
     * the typed read turns into a bare {@link NumberFormatException}, becomes a rejection naming {@code key}.
     */
    public int integer(String key, Supplier<Integer> typed) {
        return typed(key, typed, "is not a whole number");
    }

    /** A number read through the typed configuration; a value that is none becomes a rejection of {@code key}. */
    public double number(String key, Supplier<Double> typed) {
        return typed(key, typed, "is not a number");
    }

    /**
     * A boolean read through the typed configuration. The typed read takes anything but {@code true} for false, so
     * a misspelling such as {@code ture} or {@code yes} would silently turn a feature off: only {@code true} and
     * {@code false} (any case) are accepted.
     */
    public boolean bool(String key, Supplier<Boolean> typed) {
        Object raw = props.get(key);
        if (raw instanceof String text && !text.trim().equalsIgnoreCase("true")
            && !text.trim().equalsIgnoreCase("false")) {
            throw invalid(key, raw, "is not true or false");
        }
        return typed(key, typed, "is not true or false");
    }

    private <T> T typed(String key, Supplier<T> typed, String problem) {
        try {
            return typed.get();
        } catch (RuntimeException e) {
            Object raw = props.get(key);
            throw invalid(key, raw instanceof String[] array && array.length == 1 ? array[0] : raw, problem);
        }
    }

    /** Applies {@code parser}; an {@link IllegalArgumentException} it throws becomes a rejection of {@code key}. */
    public <V, T> T parse(String key, V value, Function<V, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, e.getMessage());
        }
    }

    /** The rejection of {@code value} for {@code key}; {@code fix} says what is wrong and what is allowed. */
    public InvalidConfigurationException invalid(String key, Object value, String fix) {
        return new InvalidConfigurationException(where + ": " + key + " = " + shown(key, value) + " " + fix);
    }

    private static String shown(String key, Object value) {
        if (ConfigValues.isSecretKey(key)) {
            return "<redacted>";
        }
        if (value instanceof String[] array) {
            return "\"" + String.join(",", array) + "\"";
        }
        return "\"" + value + "\"";
    }

    private static String displayPath(Object file) {
        String text = String.valueOf(file);
        if (text.startsWith("file:")) {
            try {
                return Path.of(URI.create(text)).toString();
            } catch (IllegalArgumentException e) {
                return text;
            }
        }
        return text;
    }
}
