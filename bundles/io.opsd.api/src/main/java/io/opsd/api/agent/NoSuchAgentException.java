package io.opsd.api.agent;

/** No agent is configured with this id. */
public class NoSuchAgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NoSuchAgentException(String id) {
        super("agent not found: " + id);
    }
}
