package io.opsd.grpc.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** The server's interceptors: the bearer token, the exception barrier, and the count of calls in flight. */
final class Interceptors {

    static final Metadata.Key<String> AUTHORIZATION =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private Interceptors() {
    }

    /** Refuses a call without {@code authorization: Bearer <token>} when a token is configured. */
    static ServerInterceptor token(String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                if (expected.length > 0) {
                    String header = headers.get(AUTHORIZATION);
                    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? header.substring(7).trim() : "";
                    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
                        call.close(Status.UNAUTHENTICATED.withDescription(header == null
                            ? "missing bearer token in the authorization metadata" : "invalid bearer token"),
                            new Metadata());
                        return new ServerCall.Listener<>() {
                        };
                    }
                }
                return next.startCall(call, headers);
            }
        };
    }

    /**
     * A bug in a handler becomes INTERNAL with its stack in the log, and the server serves on; a
     * {@link io.grpc.StatusRuntimeException} a handler throws is its answer. grpc-java alone would answer UNKNOWN
     * for both.
     */
    static ServerInterceptor exceptionBarrier() {
        Logger log = LoggerFactory.getLogger(Interceptors.class);
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                String method = call.getMethodDescriptor().getFullMethodName();
                ServerCall.Listener<Q> delegate;
                try {
                    delegate = next.startCall(call, headers);
                } catch (RuntimeException e) {
                    fail(call, method, e);
                    return new ServerCall.Listener<>() {
                    };
                }
                return new SimpleForwardingServerCallListener<>(delegate) {
                    @Override
                    public void onMessage(Q message) {
                        guard(() -> super.onMessage(message));
                    }

                    @Override
                    public void onHalfClose() {
                        guard(super::onHalfClose);
                    }

                    @Override
                    public void onReady() {
                        guard(super::onReady);
                    }

                    private void guard(Runnable step) {
                        try {
                            step.run();
                        } catch (RuntimeException e) {
                            fail(call, method, e);
                        }
                    }
                };
            }

            private void fail(ServerCall<?, ?> call, String method, RuntimeException e) {
                Status status;
                Metadata trailers = null;
                if (e instanceof io.grpc.StatusRuntimeException refused) {
                    // a handler's deliberate answer (NOT_FOUND, INVALID_ARGUMENT...), not a bug
                    status = refused.getStatus();
                    trailers = refused.getTrailers();
                } else {
                    log.error("gRPC call {} failed; answered INTERNAL", method, e);
                    status = Status.INTERNAL.withDescription("internal error in " + method + ": " + e);
                }
                try {
                    call.close(status, trailers == null ? new Metadata() : trailers);
                } catch (IllegalStateException alreadyClosed) {
                    // the handler had answered before it failed
                }
            }
        };
    }

    /** Counts the calls that have started and not yet ended, so a stop can wait for them. */
    static ServerInterceptor counting(CallsInFlight inFlight) {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                inFlight.started();
                Supplier<Boolean> once = new Supplier<>() {
                    private final java.util.concurrent.atomic.AtomicBoolean ended =
                        new java.util.concurrent.atomic.AtomicBoolean();

                    @Override
                    public Boolean get() {
                        if (ended.compareAndSet(false, true)) {
                            inFlight.ended();
                            return true;
                        }
                        return false;
                    }
                };
                ServerCall<Q, A> counted = new SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        try {
                            super.close(status, trailers);
                        } finally {
                            once.get();
                        }
                    }
                };
                ServerCall.Listener<Q> delegate = next.startCall(counted, headers);
                return new SimpleForwardingServerCallListener<>(delegate) {
                    @Override
                    public void onCancel() {
                        try {
                            super.onCancel();
                        } finally {
                            once.get();
                        }
                    }
                };
            }
        };
    }
}
