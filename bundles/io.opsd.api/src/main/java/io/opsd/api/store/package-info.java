/**
 * The metadata store: what opsd knows about each agent (status, desired state, process, restarts, heartbeats,
 * health) and its resource history, in memory and durable on disk.
 */
@Export
@Version("1.0.0")
package io.opsd.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
