package io.opsd.grpc.ctl;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.opsd.grpc.admin.NodeAdminGrpc;

/**
 * {@code authorization: Bearer ...} per service: NodeAdmin calls carry the admin token, every other call the
 * DaemonService token. The node checks them separately, so one never stands in for the other.
 */
final class BearerTokens implements ClientInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String token;
    private final String adminToken;

    BearerTokens(String token, String adminToken) {
        this.token = token;
        this.adminToken = adminToken;
    }

    /** The token the call to {@code method} carries; empty for none. */
    String tokenFor(MethodDescriptor<?, ?> method) {
        return NodeAdminGrpc.SERVICE_NAME.equals(method.getServiceName()) ? adminToken : token;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        String bearer = tokenFor(method);
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<A> listener, Metadata headers) {
                if (!bearer.isEmpty()) {
                    headers.put(AUTHORIZATION, "Bearer " + bearer);
                }
                super.start(listener, headers);
            }
        };
    }
}
