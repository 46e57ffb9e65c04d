package io.opsd.grpc.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd gRPC DaemonService",
    description = "proto.DaemonService for the Manager, with gRPC health and reflection.")
public @interface GrpcServerConfig {

    @AttributeDefinition(name = "Enabled", description = "false: nothing listens.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Bind address", description = "IP address or host name to listen on. A"
        + " non-loopback address needs TLS or a token, unless allow_insecure is true.")
    String bind() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port (1 to 65535). The Manager dials 9091.")
    int port() default 9091;

    @AttributeDefinition(name = "Token", required = false, description = "When set, every DaemonService and"
        + " reflection call needs the metadata 'authorization: Bearer <token>' (UNAUTHENTICATED otherwise);"
        + " health checks do not. Never logged.")
    String token() default "";

    @AttributeDefinition(name = "TLS certificate", required = false, description = "PEM certificate chain."
        + " With tls.key_file, the server speaks TLS only. Re-read when the file changes.")
    String tls_cert__file() default "";

    @AttributeDefinition(name = "TLS key", required = false, description = "PEM private key of the"
        + " certificate: PKCS#8, PKCS#1 RSA or SEC1 EC, not encrypted. Re-read when the file changes.")
    String tls_key__file() default "";

    @AttributeDefinition(name = "Client CA", required = false, description = "PEM CA certificates: when set,"
        + " clients must present a certificate they signed (mutual TLS). Re-read when the file changes.")
    String tls_client__ca__file() default "";

    @AttributeDefinition(name = "Allow insecure", description = "true allows a non-loopback bind address"
        + " without TLS and without a token (a warning is logged at every start).")
    boolean allow__insecure() default false;

    @AttributeDefinition(name = "Shutdown grace", description = "How long calls in flight may run on when"
        + " the server stops or is reconfigured, such as 10s; then they are cancelled.")
    String shutdown__grace() default "10s";
}
