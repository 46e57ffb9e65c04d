/** The host as the collectors see it: oshi's hardware and OS views, the Linux proc and sys roots, cgroup limits. */
@Export
@Version("1.1.0")
package io.opsd.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
