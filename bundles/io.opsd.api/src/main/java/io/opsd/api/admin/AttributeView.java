package io.opsd.api.admin;

/** One attribute of a configuration's metatype: its id, type (STRING, INTEGER, BOOLEAN...), default, description. */
public record AttributeView(String id, String type, String defaultValue, String description) {
}
