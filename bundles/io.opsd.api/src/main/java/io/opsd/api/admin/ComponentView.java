package io.opsd.api.admin;

/**
 * One Declarative Services component of a bundle. {@code state}: ACTIVE, SATISFIED, UNSATISFIED_REFERENCE,
 * UNSATISFIED_CONFIGURATION, FAILED_ACTIVATION, DISABLED; {@code failure}: why it is not satisfied, else empty.
 */
public record ComponentView(String name, String state, String failure) {
}
