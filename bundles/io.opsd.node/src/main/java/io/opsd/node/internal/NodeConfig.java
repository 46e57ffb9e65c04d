package io.opsd.node.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd node identity",
    description = "Who this node is to the Manager. Edits apply without a restart.")
public @interface NodeConfig {

    @AttributeDefinition(name = "Node id", required = false,
        description = "Stable id of this node. Empty: a UUID generated once and kept in data/node_id. A configured"
            + " id wins and is written to data/node_id. 1 to 128 letters, digits, '.', '_', ':' or '-'.")
    String id() default "";

    @AttributeDefinition(name = "Labels", required = false,
        description = "key=value pairs separated by commas, such as site=lab,rack=r1. Sent to the Manager at"
            + " registration.")
    String[] labels() default {};

    @AttributeDefinition(name = "Advertised address", required = false,
        description = "Address the Manager uses to call this node back. Empty: the primary non-loopback IP (the"
            + " interface of the default route).")
    String advertise__address() default "";
}
