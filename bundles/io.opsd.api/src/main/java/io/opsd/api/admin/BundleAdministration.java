package io.opsd.api.admin;

import java.util.List;

/** The node's bundles: listed, installed (signed, checked, rolled back on failure) and uninstalled. */
public interface BundleAdministration {

    /**
     * The location of every bundle installed through this service: this prefix and the symbolic name. Such a bundle
     * is watched while it installs and rolled back when it fails, so its components do not decide {@code /ready}.
     */
    String LOCATION_PREFIX = "opsd-admin:";

    /** Every installed bundle, sorted by symbolic name. */
    List<BundleView> bundles();

    /**
     * Checks the header (size limit first, before any data is kept) and starts an upload.
     *
     * @throws AdminException RESOURCE_EXHAUSTED over {@code max_bundle_size}, INVALID_ARGUMENT for a bad header,
     *     UNAVAILABLE while opsd is stopping
     */
    BundleUpload beginInstall(Caller caller, InstallHeader header) throws AdminException;

    /**
     * Uninstalls an {@code admin} or {@code deploy} bundle and returns it as it was.
     *
     * @throws AdminException NOT_FOUND for an unknown name, FAILED_PRECONDITION for a core bundle
     */
    BundleView uninstall(Caller caller, String symbolicName) throws AdminException;
}
