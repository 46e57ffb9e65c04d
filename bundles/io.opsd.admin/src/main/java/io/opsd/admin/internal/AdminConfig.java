package io.opsd.admin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd node administration",
    description = "Who may change this node's bundles and configuration through opsd.admin.v1.NodeAdmin, and how.")
public @interface AdminConfig {

    String PID = "io.opsd.admin";

    @AttributeDefinition(name = "Admin token", type = AttributeType.PASSWORD, required = false,
        description = "Callers presenting 'authorization: Bearer <admin_token>' may administer the node. Empty:"
            + " only certificate subjects may. Never logged or returned.")
    String admin__token() default "";

    @AttributeDefinition(name = "Admin subjects", required = false, description = "Subjects (RFC 2253, such as"
        + " CN=manager,O=acme) of TLS client certificates that may administer the node, separated by ';'; needs"
        + " mutual TLS on the gRPC server.")
    String[] admin__subjects() default {};

    @AttributeDefinition(name = "Trusted keys", required = false, description = "Absolute paths of PEM PUBLIC KEY"
        + " files (Ed25519): a bundle installs only when one of them signed its exact bytes.")
    String[] trusted__keys() default {};

    @AttributeDefinition(name = "Allow unsigned", description = "true installs bundles without a valid signature"
        + " (a WARN is logged at every such install).")
    boolean allow__unsigned() default false;

    @AttributeDefinition(name = "Largest bundle", description = "Largest bundle jar accepted, such as 16MiB.")
    String max__bundle__size() default "16MiB";

    @AttributeDefinition(name = "Activation timeout", description = "How long an installed bundle's components"
        + " may take to become active before the install is rolled back, such as 30s (a call may ask for less or"
        + " more).")
    String activation__timeout() default "30s";
}
