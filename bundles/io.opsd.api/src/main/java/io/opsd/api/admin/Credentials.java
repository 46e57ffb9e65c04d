package io.opsd.api.admin;

import java.util.Optional;

/**
 * What a caller presented: the bearer token of its {@code authorization} header, the subject of its TLS client
 * certificate (RFC 2253, as {@link javax.security.auth.x500.X500Principal#getName()} gives it), and its address.
 */
public record Credentials(Optional<String> bearerToken, Optional<String> certificateSubject, String peer) {
}
