package io.opsd.grpc.server.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.opsd.api.admin.AdminAccess;
import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.ConfigurationAdministration;

/**
 * The node administration services as they are bound right now: the admin bundle can come and go while the gRPC
 * server keeps serving, so each call looks them up here instead of holding them.
 */
final class AdminServices {

    private final AtomicReference<AdminAccess> access = new AtomicReference<>();
    private final AtomicReference<BundleAdministration> bundles = new AtomicReference<>();
    private final AtomicReference<ConfigurationAdministration> configurations = new AtomicReference<>();

    Optional<AdminAccess> access() {
        return Optional.ofNullable(access.get());
    }

    Optional<BundleAdministration> bundles() {
        return Optional.ofNullable(bundles.get());
    }

    Optional<ConfigurationAdministration> configurations() {
        return Optional.ofNullable(configurations.get());
    }

    void bindAccess(AdminAccess service) {
        access.set(service);
    }

    /** Unbinds only the service that leaves: a greedy replacement may already have been bound. */
    void unbindAccess(AdminAccess service) {
        access.compareAndSet(service, null);
    }

    void bindBundles(BundleAdministration service) {
        bundles.set(service);
    }

    void unbindBundles(BundleAdministration service) {
        bundles.compareAndSet(service, null);
    }

    void bindConfigurations(ConfigurationAdministration service) {
        configurations.set(service);
    }

    void unbindConfigurations(ConfigurationAdministration service) {
        configurations.compareAndSet(service, null);
    }
}
