/**
 * The heartbeat receiver's intake, for transports besides {@code POST /heartbeat} (the legacy Unix socket): every
 * heartbeat is decoded, validated, queued and counted in {@code GET /heartbeat/stats} the same way.
 */
@Export
@Version("1.0.0")
package io.opsd.heartbeat;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
