package io.opsd.heartbeat.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd heartbeat receiver",
    description = "POST /heartbeat and GET /heartbeat/stats on the node's HTTP port.")
public @interface HeartbeatConfig {

    @AttributeDefinition(name = "Enabled", description = "false answers 503 \"heartbeat receiver is stopped\".")
    boolean enabled() default true;

    @AttributeDefinition(name = "Workers", description = "Threads writing heartbeats to the store (1 to 256).")
    int workers() default 10;

    @AttributeDefinition(name = "Queue size", description = "Heartbeats accepted but not yet written (1 to"
        + " 1000000); beyond, 503 \"worker pool is full, please retry later\".")
    int queue__size() default 1000;

    @AttributeDefinition(name = "Body limit", description = "Larger bodies get 413, such as 64KiB (128B to 16MiB).")
    String max__body() default "64KiB";

    @AttributeDefinition(name = "Token", required = false, description = "When set, requests need"
        + " 'Authorization: Bearer <token>' (401 otherwise). Never logged.")
    String token() default "";
}
