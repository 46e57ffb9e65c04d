package io.opsd.api.admin;

/** An installed bundle, ACTIVE with its components, and the version it replaced (empty when it replaced none). */
public record InstallResult(BundleView bundle, boolean replaced, String previousVersion) {
}
