package io.opsd.admin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.opsd.api.config.ConfigurationValidator;

/** The {@link ConfigurationValidator} whiteboard, by the pid or factory pid each names ({@code opsd.config.pid}). */
final class ConfigValidators {

    private final Map<ConfigurationValidator, List<String>> pids = new ConcurrentHashMap<>();

    void add(ConfigurationValidator validator, Map<String, ?> props) {
        Object pid = props.get(ConfigurationValidator.PID);
        List<String> names = new ArrayList<>();
        if (pid instanceof String[] array) {
            names.addAll(List.of(array));
        } else if (pid != null) {
            names.add(pid.toString());
        }
        pids.put(validator, List.copyOf(names));
    }

    void remove(ConfigurationValidator validator) {
        pids.remove(validator);
    }

    List<ConfigurationValidator> of(String typePid) {
        List<ConfigurationValidator> out = new ArrayList<>();
        pids.forEach((v, names) -> {
            if (names.contains(typePid)) {
                out.add(v);
            }
        });
        return out;
    }
}
