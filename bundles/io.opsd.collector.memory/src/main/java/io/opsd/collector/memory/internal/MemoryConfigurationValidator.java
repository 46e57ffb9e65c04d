package io.opsd.collector.memory.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.config.ConfigurationValidator;

/**
 * The memory collector's check of {@code io.opsd.collector.memory} for node administration: the schedule the engine would
 * read. Needed because the engine keeps the previous schedule on a bad value, which ServiceComponentRuntime cannot
 * show as a refusal.
 */
@Component(property = ConfigurationValidator.PID + "=io.opsd.collector.memory")
public final class MemoryConfigurationValidator implements ConfigurationValidator {

    @Override
    public List<String> problems(Map<String, String> properties) {
        return CollectorSchedule.problems(properties);
    }
}
