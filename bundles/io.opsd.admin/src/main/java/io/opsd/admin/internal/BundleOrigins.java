package io.opsd.admin.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.opsd.api.admin.BundleView;

/**
 * Where a bundle came from, by its location: {@code opsd-admin:<bsn>} is ours, a {@code file:} URL under the deploy
 * directory is FileInstall's, everything else (the launcher's {@code opsd:} locations, Karaf's mvn: URLs) is core.
 */
final class BundleOrigins {

    static final String ADMIN_PREFIX = io.opsd.api.admin.BundleAdministration.LOCATION_PREFIX;

    private final Optional<Path> deployDir;

    BundleOrigins(Optional<Path> deployDir) {
        this.deployDir = deployDir.map(p -> p.toAbsolutePath().normalize());
    }

    /** {@code opsd.deploy.dir} (embedded node), else {@code felix.fileinstall.dir}, else {@code ${karaf.base}/deploy}. */
    static BundleOrigins of(BundleContext context) {
        for (String key : new String[] {"opsd.deploy.dir", "felix.fileinstall.dir"}) {
            String value = context.getProperty(key);
            if (value != null && !value.isBlank()) {
                return new BundleOrigins(Optional.of(Path.of(value.split(",")[0].trim())));
            }
        }
        String karaf = context.getProperty("karaf.base");
        return new BundleOrigins(karaf == null || karaf.isBlank() ? Optional.empty()
            : Optional.of(Path.of(karaf, "deploy")));
    }

    static String adminLocation(String symbolicName) {
        return ADMIN_PREFIX + symbolicName;
    }

    String origin(Bundle bundle) {
        String location = bundle.getLocation();
        if (location.startsWith(ADMIN_PREFIX)) {
            return BundleView.ORIGIN_ADMIN;
        }
        return deployFile(bundle).isPresent() ? BundleView.ORIGIN_DEPLOY : BundleView.ORIGIN_CORE;
    }

    /** The file in the deploy directory a FileInstall bundle was installed from. */
    Optional<Path> deployFile(Bundle bundle) {
        String location = bundle.getLocation();
        if (deployDir.isEmpty() || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return file.startsWith(deployDir.get()) ? Optional.of(file) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
