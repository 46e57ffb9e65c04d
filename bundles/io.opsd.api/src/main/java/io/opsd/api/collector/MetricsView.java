package io.opsd.api.collector;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The latest sample of every collector the engine runs, with how the collections went. */
@ProviderType
public interface MetricsView {

    /** Every known collector by name, in name order. */
    Map<String, CollectorStatus> collectors();

    default Optional<CollectorStatus> collector(String name) {
        return Optional.ofNullable(collectors().get(name));
    }
}
