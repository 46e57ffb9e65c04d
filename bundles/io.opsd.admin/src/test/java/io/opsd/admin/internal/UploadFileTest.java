package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.InstallHeader;
import io.opsd.api.admin.InstallResult;

class UploadFileTest {

    @TempDir
    Path dir;

    private final List<String> aborted = new ArrayList<>();
    private final UploadFile.Installer installer = new UploadFile.Installer() {
        @Override
        public InstallResult install(UploadFile upload) throws AdminException {
            upload.complete();
            return null;
        }

        @Override
        public void aborted(UploadFile upload, String reason) {
            aborted.add(reason);
        }

        @Override
        public void refused(UploadFile upload, AdminException e) {
            aborted.add(e.code() + ": " + e.getMessage());
        }
    };

    @Test
    void theBytesOfTheHeaderComplete() throws Exception {
        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        UploadFile up = upload(data.length, sha(data));
        up.write(data, 0, 2);
        up.write(data, 2, 3);
        up.finish();
        assertFalse(Files.exists(up.file()), "the temporary file is gone after finish");
    }

    @Test
    void tooManyTooFewOrOtherBytesAreInvalidArguments() throws Exception {
        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        UploadFile over = upload(4, sha(data));
        assertInvalid(() -> over.write(data, 0, 5), "more bytes than the header's size 4");
        assertFalse(Files.exists(over.file()));
        over.abort("the transport aborts after the refusal");
        assertEquals(List.of("INVALID_ARGUMENT: b.jar: more bytes than the header's size 4"), aborted);

        UploadFile under = upload(6, sha(data));
        under.write(data, 0, 5);
        assertInvalid(under::finish, "received 5 bytes, the header's size is 6");

        UploadFile other = upload(5, "0".repeat(64));
        other.write(data, 0, 5);
        assertInvalid(other::finish, "sha256 of the bytes received is " + sha(data));
    }

    @Test
    void abortDeletesTheFileOnceAndIsIdempotent() throws Exception {
        UploadFile up = upload(5, "0".repeat(64));
        up.write(new byte[3], 0, 3);
        up.abort("stream broken");
        up.abort("again");
        assertFalse(Files.exists(up.file()));
        assertEquals(List.of("stream broken"), aborted);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertInvalid(Call call, String text) {
        AdminException e = assertThrows(AdminException.class, call::run);
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private UploadFile upload(long size, String sha) throws Exception {
        return new UploadFile(new InstallHeader("b.jar", size, sha, new byte[0], Duration.ZERO),
            Files.createTempFile(dir, "up", ".jar"), installer);
    }

    private static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
