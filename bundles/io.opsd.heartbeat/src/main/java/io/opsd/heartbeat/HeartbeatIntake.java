package io.opsd.heartbeat;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes one heartbeat, a JSON object as contracts.md §3 describes it, into the receiver: decoded (field names in any
 * case, unknown fields ignored, a value of the wrong type is an error), validated, then queued for the store and the
 * agent's heartbeat timeout, and counted in {@code GET /heartbeat/stats}.
 */
@ProviderType
public interface HeartbeatIntake {

    /** What became of a heartbeat. */
    enum Outcome {
        /** Queued; it reaches the store shortly. */
        QUEUED,
        /** Not JSON, or a field of the wrong type. */
        MALFORMED,
        /** Decoded, but a field breaks a rule (no such agent, pid not above 0, cpu outside 0 to 100). */
        INVALID,
        /** The queue is full; counted as received, not stored. */
        FULL,
        /** The receiver is stopping. */
        STOPPED
    }

    /**
     * @param outcome what became of the heartbeat
     * @param message the contract's text for it: {@code heartbeat received}, {@code invalid JSON format: ...},
     *                {@code validation failed: <field>: <text>}, ...
     */
    record Result(Outcome outcome, String message) {
    }

    /** A heartbeat naming its agent by {@code agent_id}, as {@code POST /heartbeat} gets it. */
    Result offer(byte[] json, Instant receivedAt);

    /**
     * A heartbeat of the legacy socket (contracts.md §4): its agent is the one running with its {@code pid}, and an
     * {@code agent_id} in it is ignored.
     */
    Result offerByPid(byte[] json, Instant receivedAt);
}
