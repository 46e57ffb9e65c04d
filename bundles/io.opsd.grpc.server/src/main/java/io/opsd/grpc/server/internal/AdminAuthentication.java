package io.opsd.grpc.server.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opsd.api.admin.AdminAccess;
import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.Credentials;

/**
 * Every NodeAdmin call, loopback included, presents its credentials (bearer token, TLS client certificate
 * subject, peer address) to {@link AdminAccess}; the authenticated {@link Caller} travels in the call's
 * {@link Context}. This is not the DaemonService token: the admin credentials are the admin bundle's.
 */
final class AdminAuthentication implements ServerInterceptor {

    static final String NOT_CONFIGURED = "node administration is not configured";
    static final Context.Key<Caller> CALLER = Context.key("opsd-admin-caller");

    private final AdminServices services;

    AdminAuthentication(AdminServices services) {
        this.services = services;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        Optional<AdminAccess> access = services.access();
        Status refused;
        if (access.isEmpty()) {
            refused = Status.UNAUTHENTICATED.withDescription(NOT_CONFIGURED);
        } else {
            try {
                Caller caller = access.get().authenticate(credentials(headers, call.getAttributes()));
                return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
            } catch (AdminException e) {
                refused = AdminStatus.of(e);
            }
        }
        call.close(refused, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    static Credentials credentials(Metadata headers, Attributes attributes) {
        return new Credentials(bearerToken(headers.get(Interceptors.AUTHORIZATION)), subject(attributes),
            peer(attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
    }

    private static Optional<String> bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static Optional<String> subject(Attributes attributes) {
        SSLSession session = attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                ? Optional.of(leaf.getSubjectX500Principal().getName()) : Optional.empty();
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            return Optional.empty();
        }
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? "unknown" : address.toString();
    }
}
