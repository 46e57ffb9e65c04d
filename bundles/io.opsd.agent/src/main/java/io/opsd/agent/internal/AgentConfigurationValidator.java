package io.opsd.agent.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.opsd.api.config.ConfigurationValidator;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.runtime.RuntimePaths;

/**
 * The agent's own check of an {@code io.opsd.agent} factory configuration for node administration: the
 * {@link AgentSettings} an {@link AgentSupervisor} would build from the values (binary, durations, bounds, user).
 */
@Component(property = ConfigurationValidator.PID + "=io.opsd.agent")
public final class AgentConfigurationValidator implements ConfigurationValidator {

    private final Path dataDir;
    private final Accounts accounts;

    @Activate
    public AgentConfigurationValidator(BundleContext context) {
        this(RuntimePaths.dataDir(context), Accounts.system());
    }

    AgentConfigurationValidator(Path dataDir, Accounts accounts) {
        this.dataDir = dataDir;
        this.accounts = accounts;
    }

    @Override
    public List<String> problems(Map<String, String> properties) {
        try {
            AgentSettings.of(typed(properties), new HashMap<>(properties), dataDir, accounts);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }

    /** The typed view DS would give the component: {@code health_interval()} reads {@code health.interval}. */
    static AgentConfig typed(Map<String, String> properties) {
        return (AgentConfig) Proxy.newProxyInstance(AgentConfig.class.getClassLoader(),
            new Class<?>[] {AgentConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                case "annotationType" -> AgentConfig.class;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "AgentConfig" + properties;
                default -> value(method, properties.get(key(method.getName())));
            });
    }

    private static String key(String name) {
        return name.replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    private static Object value(Method method, String text) {
        Class<?> type = method.getReturnType();
        if (text == null) {
            return method.getDefaultValue();
        }
        if (type == String[].class) {
            return new String[] {text};
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text.trim());
        }
        if (type == int.class) {
            return Integer.parseInt(text.trim());
        }
        return text;
    }
}
