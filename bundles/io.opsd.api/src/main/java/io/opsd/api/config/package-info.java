/**
 * Shared parsing and validation of configuration values: durations ({@code 500ms}, {@code 30s}), sizes
 * ({@code 64KiB}), lists and {@code key=value} maps, with errors that name the PID, the file and the key;
 * and the {@link io.opsd.api.config.ConfigurationValidator} whiteboard a component's own checks are asked through.
 */
@Export
@Version("1.3.0")
package io.opsd.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
