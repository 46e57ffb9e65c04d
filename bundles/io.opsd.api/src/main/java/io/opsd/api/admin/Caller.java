package io.opsd.api.admin;

/**
 * An authenticated caller, as the audit log names it: {@code name} is the certificate subject, or {@code token};
 * {@code peer} is the address the call came from.
 */
public record Caller(String name, String peer) {

    @Override
    public String toString() {
        return name + " from " + peer;
    }
}
