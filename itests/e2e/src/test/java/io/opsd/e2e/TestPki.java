package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Certificates for the TLS tests, made at run time with openssl in {@code dir}: CAs, leaves, PKCS#8 keys. */
final class TestPki {

    static final String SERVER = "basicConstraints = critical,CA:FALSE\n"
        + "keyUsage = critical,digitalSignature,keyEncipherment\nextendedKeyUsage = serverAuth\n"
        + "subjectAltName = IP:127.0.0.1,DNS:localhost\n";
    static final String CLIENT = "basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n"
        + "extendedKeyUsage = clientAuth\n";

    private final Path dir;

    TestPki(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        assertTrue(onPath("openssl"), "the TLS tests make their certificates with openssl, which is not on the PATH"
            + " (" + System.getenv("PATH") + "); install Debian's openssl package");
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** {@code name}.key and a self-signed {@code name}.pem that may sign others. */
    void authority(String name, String cn) throws Exception {
        key(name);
        Path config = dir.resolve(name + ".cnf");
        Files.writeString(config, "[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n[dn]\nCN = " + cn
            + "\n[ext]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
            + "subjectKeyIdentifier = hash\n");
        openssl("req", "-x509", "-new", "-key", name + ".key", "-sha256", "-days", "2", "-set_serial", "1",
            "-config", config.toString(), "-out", name + ".pem");
    }

    /** {@code name}.key and {@code name}.pem signed by {@code ca}, with {@code extensions} ({@link #SERVER}...). */
    void leaf(String name, String subject, String ca, long serial, String extensions) throws Exception {
        key(name);
        Path config = dir.resolve(name + ".cnf");
        Files.writeString(config, "[req]\ndistinguished_name = dn\n[dn]\n");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions + "authorityKeyIdentifier = keyid\nsubjectKeyIdentifier = hash\n");
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-config", config.toString(), "-out",
            name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial",
            Long.toString(serial), "-days", "2", "-sha256", "-extfile", ext.toString(), "-out", name + ".pem");
    }

    /** A PEM PKCS#8 RSA key {@code name}.key. */
    void key(String name) throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + command);
        assertEquals(0, p.exitValue(), command + ":\n" + output);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }
}
