package io.opsd.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;

/** Ed25519 signature of a bundle's exact bytes by one of the trusted keys (JDK provider, no other library). */
final class SignatureCheck {

    static final int ED25519_SIGNATURE_LENGTH = 64;

    private final Map<String, PublicKey> trustedKeys;

    SignatureCheck(Map<String, PublicKey> trustedKeys) {
        this.trustedKeys = trustedKeys;
    }

    /** Returns the file name of the key that verifies, or throws PERMISSION_DENIED naming what is wrong. */
    String verify(Path file, byte[] signature) throws AdminException {
        if (signature.length == 0) {
            throw new AdminException(Code.PERMISSION_DENIED, "bundle is not signed; sign its exact bytes with an"
                + " Ed25519 key listed in trusted_keys of io.opsd.admin");
        }
        if (trustedKeys.isEmpty()) {
            throw new AdminException(Code.PERMISSION_DENIED, "no trusted_keys configured in io.opsd.admin;"
                + " no signature can be verified");
        }
        if (signature.length != ED25519_SIGNATURE_LENGTH) {
            throw new AdminException(Code.PERMISSION_DENIED, "signature is malformed: " + signature.length
                + " bytes, an Ed25519 signature has " + ED25519_SIGNATURE_LENGTH);
        }
        for (Map.Entry<String, PublicKey> key : trustedKeys.entrySet()) {
            try {
                if (verifies(key.getValue(), file, signature)) {
                    return key.getKey();
                }
            } catch (GeneralSecurityException e) {
                // a signature this key cannot even parse: try the next one
            } catch (IOException e) {
                throw new AdminException(Code.INVALID_ARGUMENT, "cannot read the uploaded bundle: " + e.getMessage(), e);
            }
        }
        throw new AdminException(Code.PERMISSION_DENIED, "no trusted key (" + trustedKeys.size() + " configured: "
            + String.join(", ", trustedKeys.keySet().stream().map(k -> Path.of(k).getFileName().toString()).toList())
            + ") verifies this signature: signed by an unknown key, or the bytes were changed");
    }

    private static boolean verifies(PublicKey key, Path file, byte[] signature)
        throws GeneralSecurityException, IOException {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                verifier.update(buffer, 0, n);
            }
        }
        return verifier.verify(signature);
    }
}
