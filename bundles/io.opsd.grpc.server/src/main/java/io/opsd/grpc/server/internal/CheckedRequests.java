package io.opsd.grpc.server.internal;

import java.io.InputStream;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * Requests that do not parse are the caller's error: INVALID_ARGUMENT. grpc-java parses a request before any
 * interceptor sees it and answers a failure with UNKNOWN ("Application error processing RPC"); here each method
 * takes the raw bytes and parses them itself.
 */
final class CheckedRequests {

    private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private CheckedRequests() {
    }

    static ServerServiceDefinition of(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor()); // reflection serves the .proto from it
        java.util.List<ServerMethodDefinition<InputStream, ?>> methods = new java.util.ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            ServerMethodDefinition<InputStream, ?> checked = checked(m);
            methods.add(checked);
            descriptor.addMethod(checked.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(b::addMethod);
        return b.build();
    }

    private static <Q, A> ServerMethodDefinition<InputStream, A> checked(ServerMethodDefinition<Q, A> method) {
        MethodDescriptor<Q, A> typed = method.getMethodDescriptor();
        MethodDescriptor<InputStream, A> raw = typed.toBuilder(RAW, typed.getResponseMarshaller()).build();
        ServerCallHandler<Q, A> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(raw, (call, headers) -> start(typed, handler, call, headers));
    }

    private static <Q, A> ServerCall.Listener<InputStream> start(MethodDescriptor<Q, A> typed,
                                                                 ServerCallHandler<Q, A> handler,
                                                                 ServerCall<InputStream, A> call, Metadata headers) {
        @SuppressWarnings("unchecked")
        ServerCall<Q, A> asTyped = new SimpleForwardingServerCall<>((ServerCall<Q, A>) (ServerCall<?, A>) call) {
            @Override
            public MethodDescriptor<Q, A> getMethodDescriptor() {
                return typed;
            }
        };
        ServerCall.Listener<Q> delegate = handler.startCall(asTyped, headers);
        return new ServerCall.Listener<>() {
            private boolean rejected;

            @Override
            public void onMessage(InputStream message) {
                if (rejected) {
                    return;
                }
                Q request;
                try {
                    request = typed.parseRequest(message);
                } catch (RuntimeException e) {
                    rejected = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                        + typed.getFullMethodName() + " message"), new Metadata());
                    return;
                }
                delegate.onMessage(request);
            }

            @Override
            public void onHalfClose() {
                if (!rejected) {
                    delegate.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                delegate.onCancel();
            }

            @Override
            public void onComplete() {
                delegate.onComplete();
            }

            @Override
            public void onReady() {
                if (!rejected) {
                    delegate.onReady();
                }
            }
        };
    }
}
