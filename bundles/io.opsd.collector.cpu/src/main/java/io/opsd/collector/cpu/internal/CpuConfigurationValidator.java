package io.opsd.collector.cpu.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.collector.CollectorSchedule;
import io.opsd.api.config.ConfigurationValidator;

/**
 * The CPU collector's check of {@code io.opsd.collector.cpu} for node administration: the schedule the engine would
 * read. Needed because the engine keeps the previous schedule on a bad value, which ServiceComponentRuntime cannot
 * show as a refusal.
 */
@Component(property = ConfigurationValidator.PID + "=io.opsd.collector.cpu")
public final class CpuConfigurationValidator implements ConfigurationValidator {

    @Override
    public List<String> problems(Map<String, String> properties) {
        return CollectorSchedule.problems(properties);
    }
}
