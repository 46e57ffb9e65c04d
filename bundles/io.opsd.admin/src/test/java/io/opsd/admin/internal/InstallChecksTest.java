package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.InstallHeader;

class InstallChecksTest {

    private static final String SHA = "ab".repeat(32);
    private static final AdminSettings SETTINGS = new AdminSettings("", Set.of(), Map.of(), true, 1000,
        Duration.ofSeconds(20));

    @TempDir
    Path dir;

    @Test
    void aPlainHeaderPasses() {
        assertDoesNotThrow(() -> InstallChecks.checkHeader(header("a-b_c+1.2.jar", 1000, SHA), SETTINGS));
    }

    @Test
    void sizeFileNameAndShaAreChecked() {
        assertRefused(Code.RESOURCE_EXHAUSTED, "1001 bytes is over max_bundle_size 1000",
            () -> InstallChecks.checkHeader(header("a.jar", 1001, SHA), SETTINGS));
        assertRefused(Code.INVALID_ARGUMENT, "size 0 must be positive",
            () -> InstallChecks.checkHeader(header("a.jar", 0, SHA), SETTINGS));
        for (String name : new String[] {"../a.jar", "a..b.jar", "a.zip", ".a.jar", "dir/a.jar"}) {
            assertRefused(Code.INVALID_ARGUMENT, "is not a plain jar file name",
                () -> InstallChecks.checkHeader(header(name, 10, SHA), SETTINGS));
        }
        assertRefused(Code.INVALID_ARGUMENT, "is not 64 lower-case hex digits",
            () -> InstallChecks.checkHeader(header("a.jar", 10, SHA.toUpperCase()), SETTINGS));
    }

    @Test
    void theActivationTimeoutDefaultsToTheSettingsAndIsCapped() {
        assertEquals(Duration.ofSeconds(20), InstallChecks.activationTimeout(timeout(Duration.ZERO), SETTINGS));
        assertEquals(Duration.ofSeconds(20), InstallChecks.activationTimeout(timeout(Duration.ofSeconds(-1)),
            SETTINGS));
        assertEquals(Duration.ofSeconds(5), InstallChecks.activationTimeout(timeout(Duration.ofSeconds(5)),
            SETTINGS));
        assertEquals(AdminSettings.MAX_ACTIVATION_TIMEOUT,
            InstallChecks.activationTimeout(timeout(Duration.ofHours(1)), SETTINGS));
    }

    @Test
    void theSymbolicNameComesWithoutDirectives() throws Exception {
        assertEquals("io.example.x", InstallChecks.symbolicName(jar("io.example.x; singleton:=true"), "x.jar"));
    }

    @Test
    void aJarThatIsNoBundleIsRefused() throws Exception {
        assertRefused(Code.INVALID_ARGUMENT, "has no Bundle-SymbolicName",
            () -> InstallChecks.symbolicName(jar(null), "x.jar"));
        assertRefused(Code.INVALID_ARGUMENT, "has a malformed Bundle-SymbolicName",
            () -> InstallChecks.symbolicName(jar("../evil"), "x.jar"));
        Path text = Files.writeString(dir.resolve("text.jar"), "not a zip");
        assertRefused(Code.INVALID_ARGUMENT, "x.jar is not a jar", () -> InstallChecks.symbolicName(text, "x.jar"));
    }

    private static InstallHeader header(String fileName, long size, String sha) {
        return new InstallHeader(fileName, size, sha, null, null);
    }

    private static InstallHeader timeout(Duration t) {
        return new InstallHeader("a.jar", 10, SHA, null, t);
    }

    private Path jar(String symbolicName) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path file = Files.createTempFile(dir, "b", ".jar");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return file;
    }

    private static void assertRefused(Code code, String message, Executable call) {
        AdminException e = assertThrows(AdminException.class, call);
        assertEquals(code, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
