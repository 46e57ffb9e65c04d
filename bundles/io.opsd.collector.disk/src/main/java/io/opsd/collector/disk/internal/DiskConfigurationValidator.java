package io.opsd.collector.disk.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.config.ConfigurationValidator;
import io.opsd.api.config.TypedConfiguration;
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
            DiskSettings.of(TypedConfiguration.of(DiskCollectorConfig.class, properties), new HashMap<>(properties));
            return List.of();
        } catch (InvalidConfigurationException e) {
            return List.of(e.getMessage());
        }
    }
}
