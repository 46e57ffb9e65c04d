package io.opsd.collector.network.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.config.ConfigurationValidator;
import io.opsd.api.config.TypedConfiguration;
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
            NetworkSettings.of(TypedConfiguration.of(NetworkCollectorConfig.class, properties), new HashMap<>(properties));
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }
}
