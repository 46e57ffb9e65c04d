package io.opsd.admin.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.config.ConfigValues;

/**
 * Which values are never returned: keys {@link ConfigValues#isSecretKey} names (token, secret, password), keys
 * named {@code key} or ending in {@code _key} ({@code private_key}, {@code api_key}; not {@code tls.key_file}, a
 * path), attributes the metatype types PASSWORD, and any value referring to a secret ({@code $[secret:...]}).
 */
final class Secrets {

    private static final String REFERENCE = "$[secret:";

    private Secrets() {
    }

    static boolean isSecret(String key, String value, Set<String> passwordKeys) {
        if (ConfigValues.isSecretKey(key) || passwordKeys.contains(key)) {
            return true;
        }
        String k = key.toLowerCase(Locale.ROOT);
        String last = k.substring(k.lastIndexOf('.') + 1);
        if (last.equals("key") || last.endsWith("_key")) {
            return true;
        }
        return value != null && value.contains(REFERENCE);
    }

    /** The values with every secret as {@code ***}. */
    static Map<String, String> masked(Map<String, String> values, Set<String> passwordKeys) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, isSecret(k, v, passwordKeys) ? ConfigurationView.SECRET : v));
        return out;
    }

    /** A value as a problem message may show it. */
    static String shown(String key, String value) {
        return isSecret(key, value, Set.of()) ? "<redacted>" : "\"" + value + "\"";
    }
}
