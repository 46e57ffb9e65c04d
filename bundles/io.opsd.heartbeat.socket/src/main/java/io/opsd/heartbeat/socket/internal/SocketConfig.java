package io.opsd.heartbeat.socket.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd heartbeat socket (legacy)",
    description = "The old daemon's Unix socket: one JSON object per line, matched to an agent by its pid.")
public @interface SocketConfig {

    @AttributeDefinition(name = "Enabled", description = "Off by default; agents should use POST /heartbeat.")
    boolean enabled() default false;

    @AttributeDefinition(name = "Path", required = false, description = "Absolute path of the socket. Empty:"
        + " <data>/heartbeat.sock. Created only if the path is free or holds a stale socket; never replaces a file.")
    String path() default "";

    @AttributeDefinition(name = "Connections", description = "Most clients connected at once (1 to 1024).")
    int max__connections() default 64;
}
