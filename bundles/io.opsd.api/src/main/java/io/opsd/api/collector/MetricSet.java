package io.opsd.api.collector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One sample of one collector, in the two shapes its readers need:
 * <ul>
 * <li>{@link #values()}: flat numbers under the keys the Manager stores ({@code usage_percent}, per-device keys
 * such as {@code disk./data.used_bytes}), sent as one {@code MetricData} of type {@link #collector()};</li>
 * <li>{@link #samples()}: named, typed, labelled series for Prometheus, exposed as
 * {@code opsd_<collector>_<name>}, in base units (bytes, seconds, ratios).</li>
 * </ul>
 * Immutable; build one with {@link #builder(String, Instant)}.
 */
public final class MetricSet {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final String collector;
    private final Instant time;
    private final Map<String, Double> values;
    private final List<Sample> samples;

    private MetricSet(Builder b) {
        this.collector = b.collector;
        this.time = b.time;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
        this.samples = List.copyOf(b.samples);
    }

    /** A Prometheus sample: {@code opsd_<collector>_<name>{labels} value}. */
    public record Sample(String name, String help, Type type, Map<String, String> labels, double value) {
        public enum Type { GAUGE, COUNTER }

        public Sample {
            Objects.requireNonNull(help, "help");
            Objects.requireNonNull(type, "type");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    public static Builder builder(String collector, Instant time) {
        return new Builder(collector, time);
    }

    public String collector() {
        return collector;
    }

    public Instant time() {
        return time;
    }

    public Map<String, Double> values() {
        return values;
    }

    public List<Sample> samples() {
        return samples;
    }

    @Override
    public String toString() {
        return "MetricSet[" + collector + " at " + time + ", " + values.size() + " values, " + samples.size()
            + " samples]";
    }

    public static final class Builder {
        private final String collector;
        private final Instant time;
        private final Map<String, Double> values = new LinkedHashMap<>();
        private final List<Sample> samples = new ArrayList<>();

        private Builder(String collector, Instant time) {
            if (collector == null || !NAME.matcher(collector).matches()) {
                throw new IllegalArgumentException("collector name \"" + collector + "\" must be lower case letters,"
                    + " digits and '_', starting with a letter");
            }
            this.collector = collector;
            this.time = Objects.requireNonNull(time, "time");
        }

        /** A number for the Manager. Non-finite values are dropped: the Manager stores numbers only. */
        public Builder value(String key, double value) {
            if (Double.isFinite(value)) {
                values.put(Objects.requireNonNull(key, "key"), value);
            }
            return this;
        }

        /** A gauge for Prometheus; {@code labels} alternate names and values. */
        public Builder gauge(String name, String help, double value, String... labels) {
            return sample(name, help, Sample.Type.GAUGE, value, labels);
        }

        /** A counter for Prometheus: a value that only grows, except when its source restarts. */
        public Builder counter(String name, String help, double value, String... labels) {
            return sample(name, help, Sample.Type.COUNTER, value, labels);
        }

        private Builder sample(String name, String help, Sample.Type type, double value, String... labels) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("metric name \"" + name + "\" must be lower case letters, digits"
                    + " and '_'");
            }
            if (labels.length % 2 != 0) {
                throw new IllegalArgumentException("labels of " + name + " must come in name, value pairs");
            }
            if (!Double.isFinite(value)) {
                return this;
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                map.put(labels[i], labels[i + 1]);
            }
            samples.add(new Sample(name, help, type, map, value));
            return this;
        }

        public MetricSet build() {
            return new MetricSet(this);
        }
    }
}
