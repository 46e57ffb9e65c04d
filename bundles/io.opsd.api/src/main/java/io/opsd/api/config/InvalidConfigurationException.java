package io.opsd.api.config;

/**
 * A configuration value was rejected. The message names the PID, the file it came from (when FileInstall
 * read it), the key, the value (redacted for secrets) and what is allowed.
 */
public class InvalidConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
