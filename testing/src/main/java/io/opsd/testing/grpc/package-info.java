/** gRPC test support: calls that send and receive bytes as they are, below the generated stubs. */
@Export
@Version("1.0.0")
package io.opsd.testing.grpc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
