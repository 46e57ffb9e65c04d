package io.opsd.api.config;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * The component property type a component would get from DS, built from .cfg text: for a
 * {@link ConfigurationValidator} that runs the component's own parsing on values not applied yet. Names map as DS
 * maps them ({@code health_interval()} reads {@code health.interval}, {@code mount__points()} reads
 * {@code mount_points}); String, String[] (one element, as a .cfg line gives), boolean, int, long and double are
 * converted as DS converts them, so a value that is no number fails where the typed read would.
 */
public final class TypedConfiguration {

    private TypedConfiguration() {
    }

    public static <A> A of(Class<A> type, Map<String, String> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
            (proxy, method, args) -> switch (method.getName()) {
                case "annotationType" -> type;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName() + properties;
                default -> value(method, properties.get(key(method.getName())));
            }));
    }

    static String key(String method) {
        return method.replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    private static Object value(Method method, String text) {
        if (text == null) {
            return method.getDefaultValue();
        }
        Class<?> type = method.getReturnType();
        if (type == String[].class) {
            return new String[] {text};
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text.trim());
        }
        if (type == int.class) {
            return Integer.parseInt(text.trim());
        }
        if (type == long.class) {
            return Long.parseLong(text.trim());
        }
        if (type == double.class) {
            return Double.parseDouble(text.trim());
        }
        return text;
    }
}
