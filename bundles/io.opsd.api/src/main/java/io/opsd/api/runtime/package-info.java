/** Where the running node keeps its state and logs, and which opsd this is. */
@Export
@Version("1.0.0")
package io.opsd.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
