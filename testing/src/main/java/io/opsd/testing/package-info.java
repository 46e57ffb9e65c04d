/** Test support: bounded waits and plain HTTP, for tests in a plain JVM and inside the framework alike. */
@Export
@Version("1.0.0")
package io.opsd.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
