/**
 * Calls written once for every gRPC client in opsd (the Manager link, {@code opsd ctl}, the Manager simulator, the
 * tests and benchmarks): a single answer as a {@link java.util.concurrent.CompletableFuture}, and a bundle sent to
 * NodeAdmin's {@code InstallBundle} stream.
 */
@Export
@Version("1.0.0")
package io.opsd.grpc.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
