package io.opsd.api.admin;

/**
 * One install in progress, from {@link BundleAdministration#beginInstall}: the bytes are written as they arrive,
 * then {@link #finish()} checks and installs them. An upload that is neither finished nor {@linkplain #abort
 * aborted} holds its temporary file; the transport aborts it when the stream breaks.
 */
public interface BundleUpload {

    /** Appends bytes; more bytes than the header's size is {@link AdminException.Code#INVALID_ARGUMENT}. */
    void write(byte[] data, int offset, int length) throws AdminException;

    /**
     * Checks the bytes (size, SHA-256, signature, bundle manifest), installs or replaces the bundle, starts it and
     * waits for its components; a failure puts back what was there before.
     */
    InstallResult finish() throws AdminException;

    /** Discards the upload: nothing is installed and its temporary file is deleted. Idempotent. */
    void abort(String reason);
}
