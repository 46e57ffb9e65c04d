/**
 * Text an operator reads, written one way by every part of opsd that prints it (the Karaf shell's commands and
 * {@code opsd ctl}): tables of aligned columns and sizes in bytes. Plain Java, so the command-line client, which runs
 * outside the framework, uses it too.
 */
@Export
@Version("1.0.0")
package io.opsd.api.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
