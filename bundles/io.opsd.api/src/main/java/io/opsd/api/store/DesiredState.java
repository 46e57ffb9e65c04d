package io.opsd.api.store;

/** What an operator wants of an agent; kept across daemon restarts. */
public enum DesiredState {
    RUNNING, STOPPED;

    /** The spelling on disk and on the wire: {@code running}, {@code stopped}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DesiredState fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
