package io.opsd.agent.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.opsd.api.config.ConfigurationValidator;
import io.opsd.api.config.TypedConfiguration;
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
            AgentSettings.of(TypedConfiguration.of(AgentConfig.class, properties), new HashMap<>(properties), dataDir, accounts);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }
}
