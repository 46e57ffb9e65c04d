package io.opsd.collector.network.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.config.ConfigurationValidator;

/**
 * The network collector's check of {@code io.opsd.collector.network} for node administration: the schedule the
 * engine would read and the {@link NetworkSettings} the collector would build. Needed because both keep their
 * previous settings on a bad value, which ServiceComponentRuntime cannot show as a refusal.
 */
@Component(property = ConfigurationValidator.PID + "=io.opsd.collector.network")
public final class NetworkConfigurationValidator implements ConfigurationValidator {

    @Override
    public List<String> problems(Map<String, String> properties) {
        return CollectorSchedule.problems(properties, NetworkCollectorConfig.class, NetworkSettings::of);
    }
}
