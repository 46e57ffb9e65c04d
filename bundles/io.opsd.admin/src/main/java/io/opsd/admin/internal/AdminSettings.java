package io.opsd.admin.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.x500.X500Principal;

import io.opsd.api.config.ConfigCheck;

/**
 * The validated {@code io.opsd.admin} configuration. Trusted keys are read once per change of the configuration; a
 * file that is missing or holds no Ed25519 public key refuses the configuration, naming the file.
 */
record AdminSettings(String token, Set<String> subjects, Map<String, PublicKey> trustedKeys, boolean allowUnsigned,
                     long maxBundleSize, Duration activationTimeout) {

    static final Duration MAX_ACTIVATION_TIMEOUT = Duration.ofMinutes(10);

    static AdminSettings of(AdminConfig c, Map<String, ?> props) {
        ConfigCheck check = ConfigCheck.of(props);
        String token = c.admin__token() == null ? "" : c.admin__token().trim();
        Set<String> subjects = new TreeSet<>();
        for (String subject : subjects(c.admin__subjects())) {
            try {
                subjects.add(canonical(subject));
            } catch (IllegalArgumentException e) {
                throw check.invalid("admin_subjects", subject, "is not a distinguished name such as CN=manager,O=acme");
            }
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (String file : check.list("trusted_keys", c.trusted__keys())) {
            Path path = check.readableFile("trusted_keys", file);
            try {
                keys.put(path.toString(), ed25519PublicKey(path));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw check.invalid("trusted_keys", file, "holds no Ed25519 PEM PUBLIC KEY (" + e.getMessage()
                    + "); make one with: openssl pkey -in key.pem -pubout -out key.pub");
            }
        }
        boolean allowUnsigned = check.bool("allow_unsigned", c::allow__unsigned);
        long maxSize = check.size("max_bundle_size", c.max__bundle__size());
        if (maxSize < 1024 || maxSize > (1L << 30)) {
            throw check.invalid("max_bundle_size", c.max__bundle__size(), "is out of range; use 1KiB to 1GiB");
        }
        Duration timeout = check.duration("activation_timeout", c.activation__timeout(), Duration.ofSeconds(1));
        if (timeout.compareTo(MAX_ACTIVATION_TIMEOUT) > 0) {
            throw check.invalid("activation_timeout", c.activation__timeout(), "is too long; use 1s to 10m");
        }
        return new AdminSettings(token, Set.copyOf(subjects), Map.copyOf(keys), allowUnsigned, maxSize, timeout);
    }

    /**
     * The subjects of {@code admin_subjects}: a distinguished name holds commas itself, so several subjects in one
     * .cfg value are separated by {@code ;}.
     */
    static List<String> subjects(String[] values) {
        List<String> subjects = new ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String part : value.split(";")) {
                if (!part.isBlank()) {
                    subjects.add(part.trim());
                }
            }
        }
        return subjects;
    }

    /** No token and no subject: every call is refused as "node administration is not configured". */
    boolean configured() {
        return !token.isEmpty() || !subjects.isEmpty();
    }

    /** A subject in one spelling for comparison: RFC 2253 as {@link X500Principal} canonicalises it. */
    static String canonical(String subject) {
        return new X500Principal(subject).getName(X500Principal.CANONICAL);
    }

    static PublicKey ed25519PublicKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = text.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("no -----BEGIN PUBLIC KEY----- block");
        }
        String body = text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    List<String> describe() {
        List<String> parts = new ArrayList<>();
        parts.add(token.isEmpty() ? "no admin token" : "admin token set");
        parts.add(subjects.size() + " admin subject(s)");
        parts.add(trustedKeys.size() + " trusted key(s)");
        if (allowUnsigned) {
            parts.add("UNSIGNED BUNDLES ALLOWED");
        }
        return parts;
    }
}
