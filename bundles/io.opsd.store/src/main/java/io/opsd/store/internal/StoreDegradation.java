package io.opsd.store.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.health.Degradation;
import io.opsd.api.store.MetadataStore;

/** Tells {@code /ready} when the store cannot write to disk. */
@Component(property = Degradation.NAME + "=store")
public final class StoreDegradation implements Degradation {

    private final MetadataStore store;

    @Activate
    public StoreDegradation(@Reference(name = "store") MetadataStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> problem() {
        return store.status().problem();
    }
}
