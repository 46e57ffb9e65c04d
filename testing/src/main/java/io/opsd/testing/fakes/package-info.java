/** In-memory fakes of opsd's internal services, for unit tests of the bundles that use them. */
@Export
@Version("1.0.0")
package io.opsd.testing.fakes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
