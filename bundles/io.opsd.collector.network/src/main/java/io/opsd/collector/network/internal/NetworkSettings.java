package io.opsd.collector.network.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.collector.network} configuration but for the schedule, which the engine reads. */
record NetworkSettings(InterfaceFilter filter) {

    // the kernel's interface names: at most 15 characters, no blank, '/' or ':'
    private static final Pattern NAME_OR_PREFIX = Pattern.compile("[^\\s/:*]{1,15}\\*?");

    /** Validates {@code config}; throws {@code InvalidConfigurationException} naming the PID, file and key. */
    static NetworkSettings of(NetworkCollectorConfig config, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        List<String> include = patterns(check, "interfaces", config.interfaces());
        List<String> exclude = patterns(check, "exclude_interfaces", config.exclude__interfaces());
        return new NetworkSettings(new InterfaceFilter(include, exclude));
    }

    private static List<String> patterns(ConfigCheck check, String key, String[] value) {
        List<String> patterns = check.list(key, value);
        for (String pattern : patterns) {
            if (!NAME_OR_PREFIX.matcher(pattern).matches()) {
                throw check.invalid(key, value, "has \"" + pattern + "\", which is not an interface name or prefix;"
                    + " write names of at most 15 characters such as eth0, or prefixes ending in * such as veth*,"
                    + " separated by commas");
            }
        }
        return patterns;
    }
}
