package io.opsd.api.node;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a listening endpoint the Manager should know about. The Manager link advertises each one as the
 * registration label {@code opsd.<name>_port} (the registration message has no field for ports), so the Manager
 * can call the node back on the port it really listens on.
 */
@ConsumerType
public interface AdvertisedPort {

    /**
     * Optional service property: where it listens, as {@code host:port} (for example {@code 127.0.0.1:9091}), for
     * what tells an operator where the node listens.
     */
    String ENDPOINT = "opsd.endpoint";

    /** Lower-case name, such as {@code grpc}. */
    String name();

    /** The TCP port it listens on. */
    int port();
}
