package io.opsd.api.health;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a part of the node that can be degraded registers one, with the service property
 * {@value #NAME} naming it. {@code GET /ready} lists every current problem; the node stays ready, since it still
 * serves, but an operator sees what to fix (a full disk, a refused configuration).
 */
@ConsumerType
public interface Degradation {

    String NAME = "opsd.degradation.name";

    /** What is wrong now, in a sentence that says what to do; empty when all is well. */
    Optional<String> problem();
}
