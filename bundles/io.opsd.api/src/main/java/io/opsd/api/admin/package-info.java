/**
 * Node administration: the Manager changes a node's bundles and configuration at run time (design/node-admin.md).
 * The services here are transport-free; {@code io.opsd.grpc.server} serves them as {@code opsd.admin.v1.NodeAdmin}
 * and the shell as {@code opsd:bundles} and {@code opsd:config}.
 */
@Export
@Version("1.0.0")
package io.opsd.api.admin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
