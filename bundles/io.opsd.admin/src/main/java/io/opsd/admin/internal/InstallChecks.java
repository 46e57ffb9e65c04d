package io.opsd.admin.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.InstallHeader;

/** What an install must pass before the framework sees it: its header, the jar's signature and its manifest. */
final class InstallChecks {

    private static final Logger LOG = LoggerFactory.getLogger(InstallChecks.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,200}\\.jar");

    private InstallChecks() {
    }

    /** Refuses a header before any byte is kept: its size, file name and sha256. */
    static void checkHeader(InstallHeader h, AdminSettings s) throws AdminException {
        if (h.size() > s.maxBundleSize()) {
            throw new AdminException(Code.RESOURCE_EXHAUSTED, h.fileName() + ": " + h.size()
                + " bytes is over max_bundle_size " + s.maxBundleSize() + " of io.opsd.admin");
        }
        if (h.size() <= 0) {
            throw new AdminException(Code.INVALID_ARGUMENT, h.fileName() + ": size " + h.size()
                + " must be positive");
        }
        if (h.fileName() == null || !FILE_NAME.matcher(h.fileName()).matches() || h.fileName().contains("..")) {
            throw new AdminException(Code.INVALID_ARGUMENT, "file_name \"" + h.fileName() + "\" is not a plain"
                + " jar file name (letters, digits, . _ + -, ending in .jar, no path)");
        }
        if (h.sha256() == null || !SHA256.matcher(h.sha256()).matches()) {
            throw new AdminException(Code.INVALID_ARGUMENT, h.fileName() + ": sha256 \"" + h.sha256()
                + "\" is not 64 lower-case hex digits");
        }
    }

    /** Verifies the signature of the received jar against the trusted keys, unless unsigned jars are allowed. */
    static void checkSignature(Path file, InstallHeader h, AdminSettings s) throws AdminException {
        if (s.allowUnsigned()) {
            LOG.warn("installing {} without checking its signature: allow_unsigned = true in io.opsd.admin",
                h.fileName());
        } else {
            new SignatureCheck(s.trustedKeys()).verify(file, h.signature());
        }
    }

    /** The header's activation timeout, the configured one when it has none, never over the maximum. */
    static Duration activationTimeout(InstallHeader h, AdminSettings s) {
        Duration t = h.activationTimeout().isZero() || h.activationTimeout().isNegative() ? s.activationTimeout()
            : h.activationTimeout();
        return t.compareTo(AdminSettings.MAX_ACTIVATION_TIMEOUT) > 0 ? AdminSettings.MAX_ACTIVATION_TIMEOUT : t;
    }

    /** The Bundle-SymbolicName of the received jar, without directives; it also names the stored jar. */
    static String symbolicName(Path file, String fileName) throws AdminException {
        Manifest manifest;
        try (JarFile jar = new JarFile(file.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException | SecurityException e) {
            throw new AdminException(Code.INVALID_ARGUMENT, "not an OSGi bundle: " + fileName + " is not a jar ("
                + e.getMessage() + ")");
        }
        String bsn = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank()) {
            throw new AdminException(Code.INVALID_ARGUMENT, "not an OSGi bundle: " + fileName
                + " has no Bundle-SymbolicName in its manifest");
        }
        String name = bsn.split(";")[0].trim();
        if (!FILE_NAME.matcher(name + ".jar").matches()) {
            throw new AdminException(Code.INVALID_ARGUMENT, "not an OSGi bundle: " + fileName
                + " has a malformed Bundle-SymbolicName \"" + bsn + "\"");
        }
        return name;
    }
}
