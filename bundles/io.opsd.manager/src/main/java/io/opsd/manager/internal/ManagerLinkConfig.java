package io.opsd.manager.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd Manager link",
    description = "Registers the node with the central Manager, heartbeats, reports metrics and syncs agent states.")
public @interface ManagerLinkConfig {

    @AttributeDefinition(name = "Address", required = false, description = "host:port of the Manager's gRPC"
        + " service, such as manager.example.net:9090. Empty: standalone, nothing is sent.")
    String address() default "";

    @AttributeDefinition(name = "Heartbeat interval", description = "How often the node says it is alive, such"
        + " as 60s (1s to 1h).")
    String heartbeat__interval() default "60s";

    @AttributeDefinition(name = "Report interval", description = "How often host metrics are reported, such as"
        + " 60s (1s to 1h).")
    String report__interval() default "60s";

    @AttributeDefinition(name = "Sync interval", description = "How often every agent state is sent, changed or"
        + " not (also an empty list, as a sign of life), such as 30s (1s to 1h).")
    String sync__interval() default "30s";

    @AttributeDefinition(name = "Sync debounce", description = "An agent state change is sent this long after"
        + " it happened, with every change that came meanwhile, such as 1s (0s to 1m).")
    String sync__debounce() default "1s";

    @AttributeDefinition(name = "Timeout", description = "Deadline of each call to the Manager, such as 10s"
        + " (100ms to 5m).")
    String timeout() default "10s";

    @AttributeDefinition(name = "Reconnect max", description = "Longest wait between two attempts to reach the"
        + " Manager; waits start at 1s and double, with jitter (1s to 1h).")
    String reconnect__max() default "60s";

    @AttributeDefinition(name = "Buffer max", description = "Disk space for reports and state changes kept"
        + " while the Manager is unreachable, such as 10MiB (64KiB to 1GiB); beyond, the oldest are dropped.")
    String buffer__max() default "10MiB";

    @AttributeDefinition(name = "CA file", required = false, description = "PEM CA certificates that sign the"
        + " Manager's certificate. Set: TLS, never plaintext.")
    String tls_ca__file() default "";

    @AttributeDefinition(name = "Client certificate", required = false, description = "PEM certificate chain"
        + " the node presents (mutual TLS); needs tls.key_file and tls.ca_file.")
    String tls_cert__file() default "";

    @AttributeDefinition(name = "Client key", required = false, description = "PEM private key of the"
        + " client certificate: PKCS#8, PKCS#1 RSA or SEC1 EC, not encrypted.")
    String tls_key__file() default "";

    @AttributeDefinition(name = "Token", required = false, description = "Sent as 'authorization: Bearer"
        + " <token>' with every call. Never logged.")
    String token() default "";
}
