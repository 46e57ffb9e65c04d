package io.opsd.admin.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.BundleUpload;
import io.opsd.api.admin.InstallHeader;
import io.opsd.api.admin.InstallResult;

/** One upload's temporary file under {@code <data>/admin/incoming/}, counted and hashed as it is written. */
final class UploadFile implements BundleUpload {

    /** What installs the checked bytes: the service. */
    interface Installer {
        InstallResult install(UploadFile upload) throws AdminException;

        void aborted(UploadFile upload, String reason);

        /** A write refused: the upload is over, and no finish or abort will report it. */
        void refused(UploadFile upload, AdminException e);
    }

    private final InstallHeader header;
    private final Path file;
    private final Installer installer;
    private final MessageDigest digest = BundleViews.sha256Digest();
    private OutputStream out;
    private long written;
    private boolean done;

    UploadFile(InstallHeader header, Path file, Installer installer) throws IOException {
        this.header = header;
        this.file = file;
        this.installer = installer;
        this.out = Files.newOutputStream(file);
    }

    InstallHeader header() {
        return header;
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) throws AdminException {
        if (done) {
            throw new AdminException(Code.INVALID_ARGUMENT, "the upload of " + header.fileName() + " is over");
        }
        if (written + length > header.size()) {
            discard();
            throw refused(new AdminException(Code.INVALID_ARGUMENT, header.fileName()
                + ": more bytes than the header's size " + header.size()));
        }
        try {
            out.write(data, offset, length);
            digest.update(data, offset, length);
            written += length;
        } catch (IOException e) {
            discard();
            throw refused(new AdminException(Code.UNAVAILABLE, "cannot write the upload of " + header.fileName()
                + ": " + e.getMessage(), e));
        }
    }

    private AdminException refused(AdminException e) {
        installer.refused(this, e);
        return e;
    }

    /** Closes the file and checks size and sha256. */
    synchronized void complete() throws AdminException {
        if (done) {
            throw new AdminException(Code.INVALID_ARGUMENT, "the upload of " + header.fileName() + " is over");
        }
        try {
            out.close();
        } catch (IOException e) {
            discard();
            throw new AdminException(Code.UNAVAILABLE, "cannot write the upload: " + e.getMessage(), e);
        }
        if (written != header.size()) {
            discard();
            throw new AdminException(Code.INVALID_ARGUMENT, header.fileName() + ": received " + written
                + " bytes, the header's size is " + header.size());
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (!sha.equals(header.sha256())) {
            discard();
            throw new AdminException(Code.INVALID_ARGUMENT, header.fileName() + ": sha256 of the bytes received is "
                + sha + ", the header says " + header.sha256());
        }
    }

    @Override
    public InstallResult finish() throws AdminException {
        try {
            return installer.install(this);
        } finally {
            discard();
        }
    }

    @Override
    public void abort(String reason) {
        boolean was;
        synchronized (this) {
            was = done;
            discard();
        }
        if (!was) {
            installer.aborted(this, reason);
        }
    }

    synchronized void discard() {
        done = true;
        try {
            out.close();
        } catch (IOException e) {
            // deleted next
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // incoming/ is emptied at the next activation
        }
    }
}
