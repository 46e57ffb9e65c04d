package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;

class SignatureCheckTest {

    @TempDir
    Path dir;

    private final KeyPair key = generate();
    private final KeyPair other = generate();

    @Test
    void aSignatureByATrustedKeyVerifiesAndNamesTheKey() throws Exception {
        Path file = write("bundle bytes");
        String by = new SignatureCheck(Map.of("/keys/ops.pub", key.getPublic())).verify(file, sign(key, "bundle bytes"));
        assertEquals("/keys/ops.pub", by);
    }

    @Test
    void everyBadSignatureIsPermissionDeniedNamingWhy() throws Exception {
        Path file = write("bundle bytes");
        SignatureCheck check = new SignatureCheck(Map.of("/keys/ops.pub", key.getPublic()));
        assertDenied(() -> check.verify(file, new byte[0]), "bundle is not signed");
        assertDenied(() -> check.verify(file, new byte[63]), "malformed");
        assertDenied(() -> check.verify(file, sign(other, "bundle bytes")),
            "no trusted key (1 configured: ops.pub) verifies this signature");
        assertDenied(() -> check.verify(file, sign(key, "other bytes")), "the bytes were changed");
        assertDenied(() -> new SignatureCheck(Map.of()).verify(file, sign(key, "bundle bytes")),
            "no trusted_keys configured in io.opsd.admin");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertDenied(Call call, String text) {
        AdminException e = assertThrows(AdminException.class, call::run);
        assertEquals(Code.PERMISSION_DENIED, e.code());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("b.jar"), text);
    }

    private static byte[] sign(KeyPair pair, String text) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(text.getBytes());
        return s.sign();
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
