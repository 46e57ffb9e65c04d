package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.BundleUpload;
import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.ComponentView;
import io.opsd.api.admin.InstallHeader;
import io.opsd.api.admin.InstallResult;
import io.opsd.testing.Await;

/** BundleAdministration in real Felix: signed installs, every refusal, rollback, uninstall and the reconcile. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class NodeAdminBundlesIT {

    private static final String PID = "io.opsd.admin";
    private static final String COMPONENT = "io.opsd.admin.internal.BundleAdministrationService";
    private static final String FILEHANDLES = "io.opsd.example.filehandles";
    private static final Caller CALLER = new Caller("token", "127.0.0.1:1");
    private static final Duration LIMIT = Duration.ofSeconds(15);

    private static KeyPair trusted;
    private static KeyPair stranger;
    private static Path keyFile;
    private static Dictionary<String, Object> previousConfig;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceComponentRuntime scr;

    @InjectService(timeout = 10_000)
    BundleAdministration admin;

    @BeforeAll
    static void configure(@InjectBundleContext BundleContext context,
                          @InjectService ConfigurationAdmin cm, @InjectService ServiceComponentRuntime scr)
        throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
        trusted = gen.generateKeyPair();
        stranger = gen.generateKeyPair();
        keyFile = Files.createTempFile("opsd-itest-trusted-", ".pub");
        Files.writeString(keyFile, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(trusted.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        Configuration config = cm.getConfiguration(PID, "?");
        previousConfig = config.getProperties();
        Hashtable<String, Object> props = new Hashtable<>();
        if (previousConfig != null) {
            for (var keys = previousConfig.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                props.put(k, previousConfig.get(k));
            }
        }
        props.put("trusted_keys", keyFile.toString());
        props.put("admin_token", "itest-admin-token");
        props.put("max_bundle_size", "2MiB");
        props.put("allow_unsigned", "false");
        config.update(props);
        Await.until(LIMIT, () -> componentProperty(context, scr, "trusted_keys").map(keyFile.toString()::equals)
            .orElse(false), () -> "io.opsd.admin never took trusted_keys " + keyFile);
    }

    @AfterAll
    static void restore(@InjectService ConfigurationAdmin cm) throws Exception {
        Configuration config = cm.getConfiguration(PID, "?");
        if (previousConfig == null) {
            config.delete();
        } else {
            config.update(previousConfig);
        }
        Files.deleteIfExists(keyFile);
    }

    @AfterEach
    void removeAdminBundles() throws Exception {
        BundleAdministration current = current();
        for (BundleView b : current.bundles()) {
            if (BundleView.ORIGIN_ADMIN.equals(b.origin())) {
                current.uninstall(CALLER, b.symbolicName());
            }
        }
    }

    private static Optional<String> componentProperty(BundleContext context, ServiceComponentRuntime scr, String key) {
        for (Bundle b : context.getBundles()) {
            if ("io.opsd.admin".equals(b.getSymbolicName())) {
                ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(b, COMPONENT);
                if (d != null) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        Object v = c.properties.get(key);
                        if (v != null) {
                            return Optional.of(v instanceof String[] a ? String.join(",", a) : String.valueOf(v));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void aSignedCollectorInstallsActiveKeptUnderDataAndPublishes() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        long start = System.nanoTime();
        InstallResult result = install(FILEHANDLES + "-0.1.0.jar", jar, sign(trusted.getPrivate(), jar));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("NodeAdminBundlesIT: good-path install of " + jar.length + " bytes took " + millis + " ms");
        BundleView b = result.bundle();
        assertEquals(FILEHANDLES, b.symbolicName());
        assertEquals("ACTIVE", b.state());
        assertEquals(BundleView.ORIGIN_ADMIN, b.origin());
        assertEquals(sha256(jar), b.sha256());
        assertFalse(result.replaced());
        assertFalse(b.components().isEmpty());
        for (ComponentView c : b.components()) {
            assertTrue(c.state().equals("ACTIVE") || c.state().equals("SATISFIED"), c.toString());
        }
        Path stored = dataDir().resolve("admin/bundles/" + FILEHANDLES + ".jar");
        assertEquals(sha256(jar), sha256(Files.readAllBytes(stored)));
        assertTrue(millis < 5_000, "install took " + millis + " ms");
        NodeHome home = new NodeHome(context);
        Await.until(LIMIT, () -> metrics(home).contains("\nopsd_filehandles_in_use "),
            () -> "opsd_filehandles_in_use not in /metrics");
        assertTrue(admin.bundles().stream().anyMatch(v -> v.symbolicName().equals(FILEHANDLES)
            && v.origin().equals(BundleView.ORIGIN_ADMIN)), "listed");
    }

    @Test
    void aOneMebibyteBundleInstallsWithinOneSecond() throws Exception {
        byte[] jar = padded(fixture(FILEHANDLES), 1024 * 1024);
        long start = System.nanoTime();
        InstallResult result = install("big-filehandles.jar", jar, sign(trusted.getPrivate(), jar));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("NodeAdminBundlesIT: install of " + jar.length + " bytes took " + millis + " ms");
        assertEquals("ACTIVE", result.bundle().state());
        assertTrue(millis < 1_000, "install of 1 MiB took " + millis + " ms");
    }

    @Test
    void aDeployBundleIsListedRefusedAsAnInstallAndUninstalledByRemovingItsFile() throws Exception {
        String hello = "io.opsd.itest.hello";
        NodeHome home = new NodeHome(context);
        Path deployed = home.deployDir().resolve(hello + ".jar");
        Path staged = deployed.resolveSibling("." + hello + ".staged");
        Files.copy(home.fixture(hello), staged, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, deployed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try {
            Await.until(LIMIT, () -> admin.bundles().stream().anyMatch(b -> b.symbolicName().equals(hello)
                && b.state().equals("ACTIVE")), () -> hello + " not deployed");
            BundleView view = admin.bundles().stream().filter(b -> b.symbolicName().equals(hello)).findFirst()
                .orElseThrow();
            assertEquals(BundleView.ORIGIN_DEPLOY, view.origin());
            assertEquals(sha256(Files.readAllBytes(deployed)), view.sha256());

            AdminException e = refusedSigned("hello.jar", fixture(hello));
            assertEquals(Code.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains(deployed.getFileName().toString()), e.getMessage());

            assertEquals(BundleView.ORIGIN_DEPLOY, admin.uninstall(CALLER, hello).origin());
            assertFalse(Files.exists(deployed), "the deploy file is deleted");
            Await.until(LIMIT, () -> admin.bundles().stream().noneMatch(b -> b.symbolicName().equals(hello)),
                () -> hello + " still installed");
        } finally {
            Files.deleteIfExists(deployed);
        }
    }

    @Test
    void aSizeOverTheLimitIsRefusedBeforeAnyData() throws Exception {
        AdminException e = assertThrows(AdminException.class, () -> admin.beginInstall(CALLER,
            header("big.jar", 2L * 1024 * 1024 + 1, "0".repeat(64), new byte[64])));
        assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
        assertTrue(e.getMessage().contains("max_bundle_size"), e.getMessage());
        assertIncomingEmpty();
    }

    @Test
    void badHeadersAreInvalidArguments() {
        for (InstallHeader h : List.of(header("../evil.jar", 10, "0".repeat(64), new byte[64]),
            header("a.zip", 10, "0".repeat(64), new byte[64]), header("a.jar", 0, "0".repeat(64), new byte[64]),
            header("a.jar", 10, "ABC", new byte[64]))) {
            AdminException e = assertThrows(AdminException.class, () -> admin.beginInstall(CALLER, h));
            assertEquals(Code.INVALID_ARGUMENT, e.code(), e.getMessage());
        }
    }

    @Test
    void fewerBytesThanTheSizeAreRefused() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        BundleUpload up = admin.beginInstall(CALLER, header("f.jar", jar.length + 10, sha256(jar),
            sign(trusted.getPrivate(), jar)));
        up.write(jar, 0, jar.length);
        AdminException e = assertThrows(AdminException.class, up::finish);
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("received " + jar.length + " bytes"), e.getMessage());
        assertNotInstalled(FILEHANDLES);
        assertIncomingEmpty();
    }

    @Test
    void moreBytesThanTheSizeAreRefused() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        BundleUpload up = admin.beginInstall(CALLER, header("f.jar", jar.length - 1, sha256(jar), new byte[64]));
        AdminException e = assertThrows(AdminException.class, () -> up.write(jar, 0, jar.length));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("more bytes"), e.getMessage());
        assertIncomingEmpty();
    }

    @Test
    void aSha256MismatchIsRefused() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        AdminException e = refused(FILEHANDLES + ".jar", jar, header("f.jar", jar.length, "a".repeat(64),
            sign(trusted.getPrivate(), jar)));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertNotInstalled(FILEHANDLES);
    }

    @Test
    void anAbortMidStreamLeavesNothing() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        BundleUpload up = admin.beginInstall(CALLER, header("f.jar", jar.length, sha256(jar),
            sign(trusted.getPrivate(), jar)));
        up.write(jar, 0, jar.length / 2);
        try (Stream<Path> files = Files.list(dataDir().resolve("admin/incoming"))) {
            assertEquals(1, files.count(), "the upload is kept in incoming/ while it runs");
        }
        up.abort("stream broken");
        up.abort("again");
        assertIncomingEmpty();
        assertNotInstalled(FILEHANDLES);
    }

    @Test
    void bytesThatAreNoJarAreRefused() throws Exception {
        byte[] junk = "this is not a zip".getBytes(StandardCharsets.UTF_8);
        AdminException e = refusedSigned("junk.jar", junk);
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("not an OSGi bundle"), e.getMessage());
    }

    @Test
    void aJarWithoutABundleManifestIsRefused() throws Exception {
        AdminException e = refusedSigned("plain.jar", jar(null));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("no Bundle-SymbolicName"), e.getMessage());
    }

    @Test
    void aCoreBundlesNameIsRefused() throws Exception {
        AdminException e = refusedSigned("store.jar", jar("io.opsd.store"));
        assertEquals(Code.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("io.opsd.store is a core bundle"), e.getMessage());
    }

    @Test
    void unsignedWronglySignedAndStrangerSignedBundlesAreRefused() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        AdminException unsigned = refused("f.jar", jar, header("f.jar", jar.length, sha256(jar), new byte[0]));
        assertEquals(Code.PERMISSION_DENIED, unsigned.code());
        assertTrue(unsigned.getMessage().contains("not signed"), unsigned.getMessage());

        byte[] changed = jar.clone();
        byte[] signature = sign(trusted.getPrivate(), jar);
        changed[changed.length - 1] ^= 1;
        AdminException tampered = refused("f.jar", changed, header("f.jar", changed.length, sha256(changed),
            signature));
        assertEquals(Code.PERMISSION_DENIED, tampered.code());
        assertTrue(tampered.getMessage().contains("verifies this signature"), tampered.getMessage());

        AdminException unknown = refused("f.jar", jar, header("f.jar", jar.length, sha256(jar),
            sign(stranger.getPrivate(), jar)));
        assertEquals(Code.PERMISSION_DENIED, unknown.code());
        assertTrue(unknown.getMessage().contains("unknown key"), unknown.getMessage());

        AdminException malformed = refused("f.jar", jar, header("f.jar", jar.length, sha256(jar), new byte[10]));
        assertEquals(Code.PERMISSION_DENIED, malformed.code());
        assertTrue(malformed.getMessage().contains("malformed"), malformed.getMessage());
        assertNotInstalled(FILEHANDLES);
    }

    @Test
    void aNewBundleWhoseActivateThrowsIsRemoved() throws Exception {
        AdminException e = refusedSigned("broken.jar", fixture("io.opsd.itest.filehandles.broken"));
        assertEquals(Code.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("filehandles v0.1.1 refuses to start"), e.getMessage());
        assertNotInstalled(FILEHANDLES);
        assertFalse(Files.exists(dataDir().resolve("admin/bundles/" + FILEHANDLES + ".jar")));
    }

    @Test
    void aBrokenReplacementIsRolledBackToTheRunningVersion() throws Exception {
        byte[] good = fixture(FILEHANDLES);
        InstallResult first = install("good.jar", good, sign(trusted.getPrivate(), good));
        String goodVersion = first.bundle().version();
        AdminException e = refusedSigned("broken.jar", fixture("io.opsd.itest.filehandles.broken"));
        assertEquals(Code.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("filehandles v0.1.1 refuses to start"), e.getMessage());
        BundleView now = admin.bundles().stream().filter(b -> b.symbolicName().equals(FILEHANDLES)).findFirst()
            .orElseThrow();
        assertEquals(goodVersion, now.version());
        assertEquals("ACTIVE", now.state());
        assertEquals(sha256(good), now.sha256());
        Await.until(LIMIT, () -> admin.bundles().stream().filter(b -> b.symbolicName().equals(FILEHANDLES))
                .flatMap(b -> b.components().stream()).allMatch(c -> c.state().equals("ACTIVE")),
            () -> "components " + admin.bundles().stream().filter(b -> b.symbolicName().equals(FILEHANDLES)).toList());
        NodeHome home = new NodeHome(context);
        Await.until(LIMIT, () -> metrics(home).contains("\nopsd_filehandles_in_use "),
            () -> "opsd_filehandles_in_use not in /metrics after the rollback");
    }

    @Test
    void anUnresolvableBundleIsRefusedNamingTheMissingPackage() throws Exception {
        AdminException e = refusedSigned("u.jar", fixture("io.opsd.itest.unresolvable"));
        assertEquals(Code.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("io.opsd.nosuch.api"), e.getMessage());
        assertNotInstalled("io.opsd.itest.unresolvable");
    }

    @Test
    void aSecondConcurrentInstallOfTheSameNameIsAborted() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        byte[] signature = sign(trusted.getPrivate(), jar);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // the two finishes race; a round where one ran entirely before the other proves nothing, so retry
            for (int round = 0; round < 10; round++) {
                List<BundleUpload> uploads = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    BundleUpload up = admin.beginInstall(CALLER, header("f.jar", jar.length, sha256(jar), signature));
                    up.write(jar, 0, jar.length);
                    uploads.add(up);
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<InstallResult>> results = new ArrayList<>();
                for (BundleUpload up : uploads) {
                    Callable<InstallResult> finish = () -> {
                        go.await();
                        return up.finish();
                    };
                    results.add(pool.submit(finish));
                }
                go.countDown();
                int ok = 0;
                List<AdminException> aborted = new ArrayList<>();
                for (Future<InstallResult> f : results) {
                    try {
                        f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                        ok++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        AdminException a = (AdminException) e.getCause();
                        assertEquals(Code.ABORTED, a.code(), a.getMessage());
                        aborted.add(a);
                    }
                }
                removeAdminBundles();
                if (!aborted.isEmpty()) {
                    assertEquals(1, ok);
                    assertEquals("an install of " + FILEHANDLES + " is already running", aborted.get(0).getMessage());
                    return;
                }
            }
            throw new AssertionError("no round of two concurrent installs overlapped");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInstallAfterDeactivationIsUnavailable() throws Exception {
        BundleAdministration held = admin;
        ComponentDescriptionDTO d = adminDescription();
        scr.disableComponent(d).getValue();
        try {
            AdminException e = assertThrows(AdminException.class, () -> held.beginInstall(CALLER,
                header("f.jar", 10, "0".repeat(64), new byte[64])));
            assertEquals(Code.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("opsd is stopping"), e.getMessage());
        } finally {
            scr.enableComponent(d).getValue();
        }
        Await.until(LIMIT, () -> context.getServiceReference(BundleAdministration.class) != null,
            () -> "BundleAdministration is not back");
    }

    @Test
    void uninstallRemovesAnAdminBundleAndRefusesCoreAndUnknownNames() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        install("f.jar", jar, sign(trusted.getPrivate(), jar));
        BundleView was = admin.uninstall(CALLER, FILEHANDLES);
        assertEquals(BundleView.ORIGIN_ADMIN, was.origin());
        assertNotInstalled(FILEHANDLES);
        assertFalse(Files.exists(dataDir().resolve("admin/bundles/" + FILEHANDLES + ".jar")));

        AdminException core = assertThrows(AdminException.class, () -> admin.uninstall(CALLER, "io.opsd.store"));
        assertEquals(Code.FAILED_PRECONDITION, core.code());
        assertTrue(core.getMessage().contains("core bundle"), core.getMessage());
        AdminException unknown = assertThrows(AdminException.class, () -> admin.uninstall(CALLER, "io.nosuch"));
        assertEquals(Code.NOT_FOUND, unknown.code());
        assertTrue(unknown.getMessage().contains("io.nosuch"), unknown.getMessage());
    }

    @Test
    void aBundleLostFromTheFrameworkIsReinstalledAtActivation() throws Exception {
        byte[] jar = fixture(FILEHANDLES);
        install("f.jar", jar, sign(trusted.getPrivate(), jar));
        context.getBundle("opsd-admin:" + FILEHANDLES).uninstall();
        ComponentDescriptionDTO d = adminDescription();
        scr.disableComponent(d).getValue();
        scr.enableComponent(d).getValue();
        Await.until(LIMIT, () -> {
            Bundle b = context.getBundle("opsd-admin:" + FILEHANDLES);
            return b != null && b.getState() == Bundle.ACTIVE;
        }, () -> "not reinstalled: " + context.getBundle("opsd-admin:" + FILEHANDLES));
    }

    @Test
    void everyRefusalIsAuditedOnce() throws Exception {
        NodeHome home = new NodeHome(context);
        String notFound = "opsd_admin_operations_total{operation=\"uninstall\",result=\"not_found\"} ";
        double before = counter(home, notFound);
        assertThrows(AdminException.class, () -> admin.uninstall(CALLER, "io.nosuch.audit"));
        Await.until(LIMIT, () -> counter(home, notFound) == before + 1,
            () -> notFound + counter(home, notFound) + ", was " + before);
    }

    private static double counter(NodeHome home, String series) {
        String text = metrics(home);
        int i = text.indexOf("\n" + series);
        if (i < 0) {
            return 0;
        }
        int start = i + 1 + series.length();
        int end = text.indexOf('\n', start);
        return Double.parseDouble(text.substring(start, end).trim());
    }

    /** The service as registered now: a test that disables the component leaves the injected one deactivated. */
    private BundleAdministration current() {
        Await.until(LIMIT, () -> context.getServiceReference(BundleAdministration.class) != null,
            () -> "no BundleAdministration service");
        return context.getService(context.getServiceReference(BundleAdministration.class));
    }

    private ComponentDescriptionDTO adminDescription() {
        for (Bundle b : context.getBundles()) {
            if ("io.opsd.admin".equals(b.getSymbolicName())) {
                return scr.getComponentDescriptionDTO(b, COMPONENT);
            }
        }
        throw new AssertionError("no io.opsd.admin bundle");
    }

    private InstallResult install(String name, byte[] jar, byte[] signature) throws AdminException {
        BundleUpload up = admin.beginInstall(CALLER, header(name, jar.length, sha256(jar), signature));
        for (int off = 0; off < jar.length; off += 16 * 1024) {
            up.write(jar, off, Math.min(16 * 1024, jar.length - off));
        }
        return up.finish();
    }

    private AdminException refusedSigned(String name, byte[] bytes) throws Exception {
        return refused(name, bytes, header(name, bytes.length, sha256(bytes), sign(trusted.getPrivate(), bytes)));
    }

    private AdminException refused(String name, byte[] bytes, InstallHeader h) throws Exception {
        BundleUpload up = admin.beginInstall(CALLER, h);
        up.write(bytes, 0, bytes.length);
        AdminException e = assertThrows(AdminException.class, up::finish);
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a message");
        assertIncomingEmpty();
        return e;
    }

    private static InstallHeader header(String name, long size, String sha, byte[] signature) {
        return new InstallHeader(name, size, sha, signature, Duration.ofSeconds(10));
    }

    private void assertNotInstalled(String bsn) {
        for (Bundle b : context.getBundles()) {
            assertFalse(bsn.equals(b.getSymbolicName()), bsn + " is installed: " + b.getLocation());
        }
    }

    private void assertIncomingEmpty() throws IOException {
        Path incoming = dataDir().resolve("admin/incoming");
        if (Files.isDirectory(incoming)) {
            try (Stream<Path> files = Files.list(incoming)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    private Path dataDir() {
        return Path.of(context.getProperty("opsd.data.dir"));
    }

    private byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(new NodeHome(context).fixture(name));
    }

    private static String metrics(NodeHome home) {
        try {
            return home.get("/metrics").body();
        } catch (IOException e) {
            return "";
        }
    }

    private static byte[] jar(String symbolicName) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            m.getMainAttributes().putValue("Bundle-Version", "9.9.9");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("fixture".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** The same bundle with a stored entry of random bytes, so that it is {@code size} bytes or a bit more. */
    private static byte[] padded(byte[] jar, int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(jar));
             JarOutputStream out = new JarOutputStream(bytes, in.getManifest())) {
            for (java.util.jar.JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
            }
            byte[] noise = new byte[size];
            new java.util.Random(1).nextBytes(noise);
            ZipEntry pad = new ZipEntry("padding.bin");
            pad.setMethod(ZipEntry.STORED);
            pad.setSize(noise.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(noise);
            pad.setCrc(crc.getValue());
            out.putNextEntry(pad);
            out.write(noise);
        }
        return bytes.toByteArray();
    }

    private static byte[] sign(PrivateKey key, byte[] bytes) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(bytes);
        return s.sign();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
