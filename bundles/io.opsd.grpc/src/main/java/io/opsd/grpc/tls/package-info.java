/** TLS material from PEM files, read the same way by the gRPC server and the Manager link. */
@Export
@Version("1.0.0")
package io.opsd.grpc.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
