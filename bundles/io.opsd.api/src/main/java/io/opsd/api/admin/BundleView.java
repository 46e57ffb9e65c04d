package io.opsd.api.admin;

import java.util.List;

/**
 * One installed bundle. {@code state}: INSTALLED, RESOLVED, STARTING, ACTIVE, STOPPING; {@code origin}: {@code core}
 * (packed in opsd.jar or the Karaf feature), {@code deploy} (the deploy/ folder), {@code admin} (installed through
 * {@link BundleAdministration}); {@code sha256}: lower-case hex of its jar, empty when the jar cannot be read.
 */
public record BundleView(long id, String symbolicName, String version, String state, String origin, String sha256,
                         List<ComponentView> components) {

    public static final String ORIGIN_CORE = "core";
    public static final String ORIGIN_DEPLOY = "deploy";
    public static final String ORIGIN_ADMIN = "admin";

    public BundleView {
        components = List.copyOf(components);
    }
}
