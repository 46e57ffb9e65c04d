package io.opsd.api.agent;

import java.util.Locale;

/** The supervisor's state of one agent. */
public enum AgentState {
    STOPPED, STARTING, RUNNING, STOPPING, RESTARTING, FAILED,
    /** The agent's type is not installed; it starts when a bundle providing the type appears. */
    WAITING_FOR_TYPE;

    /** {@code waiting-for-type}, {@code running}, ... */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The status on the wire (contracts.md): the first six states; waiting for a type shows as stopped. */
    public String wireName() {
        return this == WAITING_FOR_TYPE ? "stopped" : displayName();
    }
}
