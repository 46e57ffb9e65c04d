package io.opsd.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether the node is ready, and what keeps it from being so, read from the framework and SCR's runtime DTOs when
 * {@link #check()} is called. The node is ready when the framework has reached its start level (its beginning start
 * level, and the start level of every opsd bundle), every opsd bundle ({@code io.opsd.*}) is active, and every
 * component of those bundles that has what it needs to exist is active (or satisfied, for delayed services not used
 * yet). A factory component waiting for its first configuration, such as an agent, is not a problem: operators create
 * those.
 *
 * <p>Some problems do not make the node unready and are listed as {@linkplain ReadinessReport#rejected() rejected}:
 * those of a component with the property {@value #OPTIONAL}{@code =true} (operator data such as an agent's
 * configuration) and those of a bundle installed through node administration, which its install watches and rolls
 * back.
 */
@ProviderType
public interface Readiness {

    /** A component property: with {@code true}, a problem of this component is rejected, not not-ready. */
    String OPTIONAL = "opsd.ready.optional";

    /** Reads the node's readiness now. */
    ReadinessReport check();
}
