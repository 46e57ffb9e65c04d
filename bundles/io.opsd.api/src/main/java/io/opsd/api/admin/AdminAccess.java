package io.opsd.api.admin;

/**
 * Who may administer this node: the admin token or an allowed client certificate subject, from the
 * {@code io.opsd.admin} configuration. Every administration call is checked here first, loopback included.
 */
public interface AdminAccess {

    /**
     * The caller these credentials prove.
     *
     * @throws AdminException {@link AdminException.Code#UNAUTHENTICATED}: node administration is not configured
     *     (no token and no subject), or the credentials match neither
     */
    Caller authenticate(Credentials credentials) throws AdminException;
}
