package io.opsd.launcher.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A mapping of the old daemon's YAML. Every entry knows its path ({@code daemon.grpc_port},
 * {@code agents[0].health_check.interval}) and whether the import used it, so whatever it did not use can be
 * named in a warning. Values are {@link YamlMap}s, lists of values, scalars (String, Number, Boolean) or null.
 */
final class YamlMap {

    record Entry(String path, Object value) {
    }

    private final String path;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Keys the import used; true: also look inside it for what was not used. */
    private final Map<String, Boolean> used = new LinkedHashMap<>();

    private YamlMap(String path) {
        this.path = path;
    }

    static YamlMap of(Map<?, ?> raw, String path) {
        YamlMap map = new YamlMap(path);
        raw.forEach((k, v) -> {
            String key = String.valueOf(k);
            String p = path.isEmpty() ? key : path + "." + key;
            map.entries.put(key, new Entry(p, wrap(v, p)));
        });
        return map;
    }

    private static Object wrap(Object raw, String path) {
        if (raw instanceof Map<?, ?> m) {
            return of(m, path);
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(wrap(list.get(i), path + "[" + i + "]"));
            }
            return out;
        }
        return raw;
    }

    String path() {
        return path;
    }

    /** The path a key of this mapping has, whether it is present or not. */
    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The entry, marked as used; a mapping in it is still searched for unused keys. */
    Optional<Entry> take(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            used.put(key, true);
        }
        return Optional.ofNullable(e);
    }

    /** The entry, marked as used with everything in it (its caller reports on its content itself). */
    Optional<Entry> claim(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            used.put(key, false);
        }
        return Optional.ofNullable(e);
    }

    /** A nested mapping; a value of another kind is reported and treated as absent. */
    Optional<YamlMap> map(String key, Warnings warnings) {
        Optional<Entry> e = take(key);
        if (e.isEmpty() || e.get().value() == null) {
            return Optional.empty();
        }
        if (e.get().value() instanceof YamlMap m) {
            return Optional.of(m);
        }
        warnings.warn(e.get().path(), "is not a mapping; not carried over");
        return Optional.empty();
    }

    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** What the import did not use, outermost first: a whole unused subtree is one entry. */
    List<Entry> unused() {
        List<Entry> out = new ArrayList<>();
        entries.forEach((key, entry) -> {
            Boolean look = used.get(key);
            if (look == null) {
                out.add(entry);
            } else if (look && entry.value() instanceof YamlMap m) {
                out.addAll(m.unused());
            }
        });
        return out;
    }

    /** Every scalar (or empty) leaf below this mapping, for sections that are reported key by key. */
    List<Entry> leaves() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.value() instanceof YamlMap m && !m.entries.isEmpty()) {
                out.addAll(m.leaves());
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * {@code over} on top of {@code defaults}: nested mappings are merged key by key, any other value of
     * {@code over} replaces the default. The result is a fresh copy with no key used; paths stay those of the
     * file, so a warning names the line an operator has to look at.
     */
    static YamlMap merge(YamlMap defaults, YamlMap over) {
        YamlMap out = new YamlMap(over.path);
        if (defaults != null) {
            defaults.entries.forEach((k, e) -> out.entries.put(k, copy(e)));
        }
        over.entries.forEach((k, e) -> {
            Entry base = out.entries.get(k);
            if (base != null && base.value() instanceof YamlMap b && e.value() instanceof YamlMap o) {
                out.entries.put(k, new Entry(e.path(), merge(b, o)));
            } else {
                out.entries.put(k, copy(e));
            }
        });
        return out;
    }

    private static Entry copy(Entry e) {
        return e.value() instanceof YamlMap m ? new Entry(e.path(), merge(null, m)) : e;
    }
}
