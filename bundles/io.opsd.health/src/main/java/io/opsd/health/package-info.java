/**
 * The node's readiness, read once for every consumer: {@code GET /ready}, the ready line in the log and the
 * {@code opsd:status} command all show the same {@link io.opsd.health.ReadinessReport}.
 */
@Export
@Version("1.0.0")
package io.opsd.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
