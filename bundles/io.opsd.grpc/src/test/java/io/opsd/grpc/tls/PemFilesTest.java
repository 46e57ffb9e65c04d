package io.opsd.grpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys and certificates made by openssl in each test, in every format the node's TLS settings may point at. */
class PemFilesTest {

    private static final Optional<char[]> PASSWORD = Optional.of("s3cret".toCharArray());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs8", "rsa-pkcs1", "ec-pkcs8", "ec-sec1", "ec-sec1-with-parameters", "ed25519",
        "dsa-pkcs8"})
    void readsUnencryptedKeysOfEveryFormat(String format) throws Exception {
        Path key = key(format);
        PrivateKey read = PemFiles.privateKey(key);
        assertSignatureVerifies(read, certificateOf(key).getPublicKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8-pbes2", "pkcs8-pbes1", "rsa-pkcs1-aes256", "ec-sec1-des3"})
    void readsEncryptedKeysWithTheirPassword(String format) throws Exception {
        Path plain = key(format.startsWith("ec") || format.equals("pkcs8-pbes1") ? "ec-pkcs8" : "rsa-pkcs8");
        Path encrypted = dir.resolve(format + ".pem");
        switch (format) {
            case "pkcs8-pbes2" -> openssl("pkcs8", "-topk8", "-in", plain, "-passout", "pass:s3cret", "-out",
                encrypted);
            case "pkcs8-pbes1" -> openssl("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", plain, "-passout",
                "pass:s3cret", "-out", encrypted);
            case "rsa-pkcs1-aes256" -> openssl("rsa", "-in", plain, "-traditional", "-aes256", "-passout",
                "pass:s3cret", "-out", encrypted);
            default -> openssl("ec", "-in", plain, "-des3", "-passout", "pass:s3cret", "-out", encrypted);
        }
        assertTrue(Files.readString(encrypted).contains("ENCRYPTED"), Files.readString(encrypted));
        assertSignatureVerifies(PemFiles.privateKey(encrypted, PASSWORD), certificateOf(plain).getPublicKey());
    }

    @Test
    void anEncryptedKeyWithoutPasswordIsRefusedWithTheWayToDecryptIt() throws Exception {
        Path encrypted = dir.resolve("encrypted.pem");
        openssl("pkcs8", "-topk8", "-in", key("rsa-pkcs8"), "-passout", "pass:s3cret", "-out", encrypted);
        IOException e = assertThrows(IOException.class, () -> PemFiles.privateKey(encrypted));
        assertTrue(e.getMessage().startsWith(encrypted + " holds an encrypted private key"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkey -in " + encrypted), e.getMessage());
    }

    @Test
    void aWrongPasswordNamesTheFile() throws Exception {
        Path encrypted = dir.resolve("encrypted.pem");
        openssl("rsa", "-in", key("rsa-pkcs8"), "-traditional", "-aes256", "-passout", "pass:other", "-out", encrypted);
        IOException e = assertThrows(IOException.class, () -> PemFiles.privateKey(encrypted, PASSWORD));
        assertTrue(e.getMessage().startsWith(encrypted + " holds a private key that cannot be read"), e.getMessage());
    }

    @Test
    void aCertificateGivenAsKeyIsRefused() throws Exception {
        Path certificate = certificate(key("ec-pkcs8"), "leaf");
        IOException e = assertThrows(IOException.class, () -> PemFiles.privateKey(certificate));
        assertTrue(e.getMessage().startsWith(certificate + " holds no PEM private key"), e.getMessage());
    }

    @Test
    void readsAChainWithTextAroundItAndAFileHoldingKeyAndCertificate() throws Exception {
        Path key = key("rsa-pkcs8");
        Path leaf = certificate(key, "leaf");
        Path root = certificate(key("ec-pkcs8"), "root");
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, "subject=CN = leaf\n" + Files.readString(leaf) + "Bag Attributes\n"
            + Files.readString(root));
        assertEquals(List.of("CN=leaf", "CN=root"), PemFiles.certificates(chain).stream()
            .map(c -> c.getSubjectX500Principal().getName()).toList());

        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(key) + Files.readString(leaf));
        assertSignatureVerifies(PemFiles.privateKey(combined), PemFiles.certificates(combined).get(0).getPublicKey());
    }

    @Test
    void readsADerCertificateAndRefusesAFileWithoutOne() throws Exception {
        Path der = dir.resolve("leaf.der");
        openssl("x509", "-in", certificate(key("rsa-pkcs8"), "leaf"), "-outform", "DER", "-out", der);
        assertEquals("CN=leaf", PemFiles.certificates(der).get(0).getSubjectX500Principal().getName());

        Path key = key("ec-pkcs8");
        IOException e = assertThrows(IOException.class, () -> PemFiles.certificates(key));
        assertEquals(key + " holds no PEM certificate", e.getMessage());
    }

    private Path key(String format) throws Exception {
        Path key = dir.resolve(format + ".pem");
        switch (format) {
            case "rsa-pkcs8" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                key);
            case "rsa-pkcs1" -> openssl("rsa", "-in", key("rsa-pkcs8"), "-traditional", "-out", key);
            case "ec-pkcs8" -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                key);
            case "ec-sec1" -> openssl("ec", "-in", key("ec-pkcs8"), "-out", key);
            case "ec-sec1-with-parameters" -> openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", key);
            case "ed25519" -> openssl("genpkey", "-algorithm", "ED25519", "-out", key);
            case "dsa-pkcs8" -> {
                Path parameters = dir.resolve("dsa-parameters.pem");
                openssl("genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out",
                    parameters);
                openssl("genpkey", "-paramfile", parameters, "-out", key);
            }
            default -> throw new IllegalArgumentException(format);
        }
        String pem = Files.readString(key);
        String label = switch (format) {
            case "rsa-pkcs1" -> "-----BEGIN RSA PRIVATE KEY-----";
            case "ec-sec1" -> "-----BEGIN EC PRIVATE KEY-----";
            case "ec-sec1-with-parameters" -> "-----BEGIN EC PARAMETERS-----";
            default -> "-----BEGIN PRIVATE KEY-----";
        };
        assertTrue(pem.startsWith(label), format + " is not what the test means: " + pem);
        return key;
    }

    private X509Certificate certificateOf(Path key) throws Exception {
        return PemFiles.certificates(certificate(key, "leaf")).get(0);
    }

    private Path certificate(Path key, String cn) throws Exception {
        Path certificate = dir.resolve(cn + "-" + key.getFileName());
        openssl("req", "-x509", "-new", "-key", key, "-subj", "/CN=" + cn, "-days", "2", "-out", certificate);
        return certificate;
    }

    private static void assertSignatureVerifies(PrivateKey key, PublicKey expected) throws Exception {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();
        };
        byte[] data = "opsd".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update(data);
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(expected);
        verify.update(data);
        assertTrue(verify.verify(sign.sign()), "the key read is not the certificate's");
    }

    private void openssl(Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("these tests make their keys with openssl; install Debian's openssl package", e);
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish: " + command);
        assertEquals(0, p.exitValue(), command + ":\n" + output);
    }
}
