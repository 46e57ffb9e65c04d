package io.opsd.api.admin;

import java.time.Duration;

/**
 * What precedes a bundle's bytes: its file name, size, SHA-256 (lower-case hex) and Ed25519 signature, and how long
 * its components may take to become active ({@link Duration#ZERO}: the configured {@code activation_timeout}).
 */
public record InstallHeader(String fileName, long size, String sha256, byte[] signature,
                            Duration activationTimeout) {

    public InstallHeader {
        signature = signature == null ? new byte[0] : signature.clone();
        activationTimeout = activationTimeout == null ? Duration.ZERO : activationTimeout;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
