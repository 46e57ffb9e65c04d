/** Degradations: parts of the node that work, but not fully; listed in {@code GET /ready}. */
@Export
@Version("1.0.0")
package io.opsd.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
