package io.opsd.grpc.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Certificates and private keys from PEM files, with errors that name the file and say how to fix it.
 *
 * <p>A private key may be PKCS#8 ({@code PRIVATE KEY}: RSA, EC, DSA, Ed25519 or Ed448), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), and encrypted ({@code ENCRYPTED PRIVATE KEY}, or
 * OpenSSL's {@code Proc-Type: 4,ENCRYPTED} headers) when a password is given. Text around the blocks is ignored,
 * so a file holding a certificate and its key serves for both.
 */
public final class PemFiles {

    private static final String[] ALGORITHMS = {"RSA", "EC", "EdDSA", "DSA", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** The certificates of {@code file}, in order: PEM {@code CERTIFICATE} blocks, or one DER certificate. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (PemBlock block : PemBlock.all(new String(bytes, StandardCharsets.ISO_8859_1))) {
                if (block.label().equals("CERTIFICATE") || block.label().equals("X509 CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
            if (certs.isEmpty() && bytes.length > 0 && bytes[0] == Der.SEQUENCE) {
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(bytes)));
            }
            if (certs.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return certs;
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** The first private key of {@code file}, which must not be encrypted. */
    public static PrivateKey privateKey(Path file) throws IOException {
        return privateKey(file, Optional.empty());
    }

    /** The first private key of {@code file}, decrypted with {@code password} when it is encrypted. */
    public static PrivateKey privateKey(Path file, Optional<char[]> password) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        PemBlock key;
        try {
            key = PemBlock.all(text).stream().filter(b -> b.label().endsWith("PRIVATE KEY")).findFirst()
                .orElseThrow(() -> new IOException(file + " holds no PEM private key (a block like"
                    + " '-----BEGIN PRIVATE KEY-----'); give the key file, not the certificate"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds a PEM block that is not valid base64: " + e.getMessage(), e);
        }
        byte[] der = key.der();
        try {
            if (key.encrypted()) {
                if (password.isEmpty()) {
                    throw new IOException(file + " holds an encrypted private key and no password is configured;"
                        + " decrypt it with 'openssl pkey -in " + file + " -out key.pem' and use key.pem");
                }
                der = KeyDecryption.decrypt(key, password.get());
            }
            return generate(pkcs8(key.label(), der, PemBlock.all(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " holds a private key that cannot be read (" + e.getMessage()
                + "); opsd reads PKCS#8, PKCS#1 RSA and SEC1 EC keys: check it with 'openssl pkey -in " + file
                + " -noout'", e);
        }
    }

    /** {@code der} as PKCS#8: PKCS#1 and SEC1 keys are wrapped with their algorithm's identifier. */
    private static byte[] pkcs8(String label, byte[] der, List<PemBlock> blocks) {
        String kind = label.replace("ENCRYPTED ", "");
        if (kind.equals("RSA PRIVATE KEY") && !isPkcs8(der)) {
            return wrap(Der.encode(Der.SEQUENCE, Der.RSA_ENCRYPTION, Der.encode(Der.NULL)), der);
        }
        if (kind.equals("EC PRIVATE KEY") && !isPkcs8(der)) {
            byte[] curve = Der.sequence(der).stream().filter(e -> e.tag() == Der.CONTEXT_0)
                .map(Der.Element::content).findFirst()
                .or(() -> blocks.stream().filter(b -> b.label().equals("EC PARAMETERS")).map(PemBlock::der)
                    .findFirst())
                .orElseThrow(() -> new IllegalArgumentException("the SEC1 EC key names no curve"));
            return wrap(Der.encode(Der.SEQUENCE, Der.EC_PUBLIC_KEY, curve), der);
        }
        return der;
    }

    /** PKCS#8 starts with version 0 then an AlgorithmIdentifier SEQUENCE; PKCS#1 and SEC1 do not. */
    private static boolean isPkcs8(byte[] der) {
        List<Der.Element> e = Der.sequence(der);
        return e.size() >= 3 && e.get(0).tag() == Der.INTEGER && e.get(1).tag() == Der.SEQUENCE;
    }

    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] {0}), algorithm,
            Der.encode(Der.OCTET_STRING, key));
    }

    private static PrivateKey generate(byte[] pkcs8) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("not an RSA, EC, EdDSA or DSA key", last);
    }
}
