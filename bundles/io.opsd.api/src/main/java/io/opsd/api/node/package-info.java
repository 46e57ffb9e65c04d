/** Who this node is: the identity the Manager registers and the gRPC endpoint reports. */
@Export
@Version("1.2.0")
package io.opsd.api.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
