package io.opsd.simulator;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Records every call with its request, peer and whether it carried an {@code authorization} header; refuses calls
 * without the bearer token when one is configured; and fixes the call's {@link Mode} once, for the record and the
 * service alike.
 */
final class RecordingInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final CallRecorder recorder;
    private final FaultModes modes;
    private final byte[] expectedAuthorization;
    private final Clock clock;
    private final JsonFormat.Printer json = JsonFormat.printer().preservingProtoFieldNames()
        .omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();

    /** {@code token} may be {@code null}: then every call is let through. */
    RecordingInterceptor(CallRecorder recorder, FaultModes modes, String token, Clock clock) {
        this.recorder = recorder;
        this.modes = modes;
        this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        String rpc = call.getMethodDescriptor().getBareMethodName();
        String peer = peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        String authorization = headers.get(AUTHORIZATION);
        if (expectedAuthorization != null && !authorized(authorization)) {
            recorder.record(service, rpc, clock.millis(), peer, authorization != null, null, null, "UNAUTHENTICATED");
            call.close(Status.UNAUTHENTICATED.withDescription(authorization == null
                ? "manager simulator: missing authorization: Bearer <token>"
                : "manager simulator: invalid bearer token"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Mode mode = servedRpc(service, rpc);
        Context context = Context.current().withValue(CallMode.KEY, mode == null ? Mode.OK : mode);
        ServerCall.Listener<Q> delegate = Contexts.interceptCall(context, call, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                recorder.record(service, rpc, clock.millis(), peer, authorization != null,
                    mode == null ? null : mode.wireName(), toJson(message), null);
                super.onMessage(message);
            }
        };
    }

    /** The mode of a simulated RPC, or {@code null} for the DaemonService RPCs the simulator leaves unimplemented. */
    private Mode servedRpc(String service, String rpc) {
        boolean served = service.equals("manager.ManagerService")
            || service.equals("proto.DaemonService") && rpc.equals(SimulatedRpc.SYNC_AGENT_STATES.methodName());
        return served ? modes.of(SimulatedRpc.fromMethodName(rpc)) : null;
    }

    private boolean authorized(String authorization) {
        return authorization != null
            && MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8));
    }

    private String toJson(Object message) {
        if (!(message instanceof MessageOrBuilder proto)) {
            return null;
        }
        try {
            return json.print(proto);
        } catch (InvalidProtocolBufferException e) {
            return null; // only Any fields with unknown types fail, and no request here has one
        }
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
