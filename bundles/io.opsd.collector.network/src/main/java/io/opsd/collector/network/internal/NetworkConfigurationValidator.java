package io.opsd.collector.network.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.config.ConfigurationValidator;
import io.opsd.api.config.InvalidConfigurationException;

/**
 * The network collector's own check of {@code io.opsd.collector.network} for node administration: the {@link NetworkSettings}
 * it would build. Needed because {@link NetworkCollector}'s {@code @Modified} keeps its previous settings on a bad
 * value, which ServiceComponentRuntime cannot show as a refusal.
 */
@Component(property = ConfigurationValidator.PID + "=io.opsd.collector.network")
public final class NetworkConfigurationValidator implements ConfigurationValidator {

    @Override
    public List<String> problems(Map<String, String> properties) {
        try {
            NetworkSettings.of(typed(properties), new HashMap<>(properties));
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }

    /** The typed view DS would give the component: {@code mount__points()} reads {@code mount_points}. */
    private static NetworkCollectorConfig typed(Map<String, String> properties) {
        return (NetworkCollectorConfig) Proxy.newProxyInstance(NetworkCollectorConfig.class.getClassLoader(),
            new Class<?>[] {NetworkCollectorConfig.class}, (proxy, method, args) -> {
                String name = method.getName();
                if (name.equals("annotationType")) {
                    return NetworkCollectorConfig.class;
                }
                if (name.equals("hashCode") || name.equals("equals") || name.equals("toString")) {
                    return name.equals("hashCode") ? System.identityHashCode(proxy)
                        : name.equals("equals") ? proxy == args[0] : "NetworkCollectorConfig" + properties;
                }
                String text = properties.get(name.replace("__", "\0").replace('_', '.').replace('\0', '_'));
                if (text == null) {
                    return method.getDefaultValue();
                }
                Class<?> type = method.getReturnType();
                return type == String[].class ? new String[] {text}
                    : type == boolean.class ? (Object) Boolean.parseBoolean(text.trim()) : text;
            });
    }
}
