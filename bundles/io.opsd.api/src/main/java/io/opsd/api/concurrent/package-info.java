/**
 * The threads opsd's bundles start: daemon threads (none of them may hold the JVM up) with names an operator finds
 * in a thread dump.
 */
@Export
@Version("1.0.0")
package io.opsd.api.concurrent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
