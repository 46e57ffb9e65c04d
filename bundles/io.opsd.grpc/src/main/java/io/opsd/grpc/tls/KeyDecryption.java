package io.opsd.grpc.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** Decrypts an encrypted PEM key: PKCS#8 (PBES1, PBES2) or OpenSSL's traditional {@code DEK-Info} encryption. */
final class KeyDecryption {

    private KeyDecryption() {
    }

    /** The plain DER of {@code block}: PKCS#8, or PKCS#1/SEC1 for a traditional block. */
    static byte[] decrypt(PemBlock block, char[] password) throws GeneralSecurityException {
        if (block.label().startsWith("ENCRYPTED")) {
            EncryptedPrivateKeyInfo info;
            try {
                info = new EncryptedPrivateKeyInfo(block.der());
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException("not an encrypted PKCS#8 key", e);
            }
            // for PBES2, getAlgName() is only "PBES2"; the parameters name the actual cipher
            boolean pbes2 = info.getAlgName().equals("PBES2") || info.getAlgName().equals("1.2.840.113549.1.5.13");
            String algorithm = pbes2 ? info.getAlgParameters().toString() : info.getAlgName();
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        }
        return traditional(block, password);
    }

    /** {@code DEK-Info: AES-256-CBC,<iv>}: the key is OpenSSL's EVP_BytesToKey(MD5, password, iv[0..8]). */
    private static byte[] traditional(PemBlock block, char[] password) throws GeneralSecurityException {
        String[] dek = block.headers().getOrDefault("DEK-Info", "").split(",");
        if (dek.length != 2) {
            throw new GeneralSecurityException("encrypted key without a DEK-Info header");
        }
        byte[] iv = HexFormat.of().parseHex(dek[1].strip());
        String mode = dek[0].strip();
        String transformation;
        int keyLength;
        switch (mode) {
            case "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" -> {
                transformation = "AES/CBC/PKCS5Padding";
                keyLength = Integer.parseInt(mode.substring(4, 7)) / 8;
            }
            case "DES-EDE3-CBC" -> {
                transformation = "DESede/CBC/PKCS5Padding";
                keyLength = 24;
            }
            default -> throw new GeneralSecurityException("unsupported key encryption " + mode
                + "; re-encrypt it with AES-256-CBC or convert it to PKCS#8");
        }
        byte[] key = bytesToKey(new String(password).getBytes(StandardCharsets.UTF_8), Arrays.copyOf(iv, 8),
            keyLength);
        Cipher cipher = Cipher.getInstance(transformation);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, transformation.substring(0,
            transformation.indexOf('/'))), new IvParameterSpec(iv));
        return cipher.doFinal(block.der());
    }

    private static byte[] bytesToKey(byte[] password, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] key = new byte[0];
        byte[] previous = new byte[0];
        while (key.length < length) {
            md5.update(previous);
            md5.update(password);
            md5.update(salt);
            previous = md5.digest();
            byte[] longer = Arrays.copyOf(key, key.length + previous.length);
            System.arraycopy(previous, 0, longer, key.length, previous.length);
            key = longer;
        }
        return Arrays.copyOf(key, length);
    }
}
