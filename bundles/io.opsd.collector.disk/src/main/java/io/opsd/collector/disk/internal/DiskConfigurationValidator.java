package io.opsd.collector.disk.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.config.ConfigurationValidator;
import io.opsd.api.config.InvalidConfigurationException;

/**
 * The disk collector's own check of {@code io.opsd.collector.disk} for node administration: the {@link DiskSettings}
 * it would build. Needed because {@link DiskCollector}'s {@code @Modified} keeps its previous settings on a bad
 * value, which ServiceComponentRuntime cannot show as a refusal.
 */
@Component(property = ConfigurationValidator.PID + "=io.opsd.collector.disk")
public final class DiskConfigurationValidator implements ConfigurationValidator {

    @Override
    public List<String> problems(Map<String, String> properties) {
        try {
            DiskSettings.of(typed(properties), new HashMap<>(properties));
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }

    /** The typed view DS would give the component: {@code mount__points()} reads {@code mount_points}. */
    private static DiskCollectorConfig typed(Map<String, String> properties) {
        return (DiskCollectorConfig) Proxy.newProxyInstance(DiskCollectorConfig.class.getClassLoader(),
            new Class<?>[] {DiskCollectorConfig.class}, (proxy, method, args) -> {
                String name = method.getName();
                if (name.equals("annotationType")) {
                    return DiskCollectorConfig.class;
                }
                if (name.equals("hashCode") || name.equals("equals") || name.equals("toString")) {
                    return name.equals("hashCode") ? System.identityHashCode(proxy)
                        : name.equals("equals") ? proxy == args[0] : "DiskCollectorConfig" + properties;
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
