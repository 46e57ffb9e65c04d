/**
 * opsd's own values as wire messages, written once for the DaemonService endpoint and the Manager link.
 */
@Export
@Version("1.0.0")
package io.opsd.grpc.mapping;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
