package io.opsd.agent.internal;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

/**
 * The {@code health.http_url} probe: healthy when a GET answers 2xx within the timeout. The status line decides;
 * at most {@value #MAX_BODY_BYTES} bytes of the body are read and discarded, within what is left of the timeout.
 * Redirects are not followed (a health endpoint that redirects is misconfigured, and the target could be another
 * host) and no proxy is used: the agent is probed directly.
 */
final class HttpProbe {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final int NO_STATUS = 0;

    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;
    private final HttpRequest request;

    HttpProbe(URI uri, Duration timeout) {
        this.uri = validated(uri);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the HTTP probe timeout must be positive, not " + timeout);
        }
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(timeout)
            .build();
        this.request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
    }

    URI uri() {
        return uri;
    }

    Duration timeout() {
        return timeout;
    }

    /** Sends one GET and waits for it at most the timeout. */
    ProbeResult probe() {
        AtomicInteger status = new AtomicInteger(NO_STATUS);
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, response -> {
            status.set(response.statusCode());
            return new BoundedDiscard(MAX_BODY_BYTES);
        });
        try {
            return byStatus(exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS).statusCode());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return status.get() == NO_STATUS ? noAnswer() : byStatus(status.get());
        } catch (ExecutionException e) {
            // once the status line is in, a body that breaks off or drags on does not change the answer
            return status.get() == NO_STATUS ? failure(e.getCause()) : byStatus(status.get());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return ProbeResult.failed("HTTP probe of " + uri + " interrupted");
        }
    }

    private ProbeResult byStatus(int status) {
        String detail = "HTTP " + status + " from " + uri;
        return status >= 200 && status <= 299 ? ProbeResult.ok(detail) : ProbeResult.failed(detail);
    }

    private ProbeResult noAnswer() {
        return ProbeResult.failed("no answer from " + uri + " within " + timeout.toMillis() + " ms");
    }

    private ProbeResult failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return ProbeResult.failed("no connection to " + authority() + " within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return noAnswer();
        }
        if (causedBy(cause, UnresolvedAddressException.class)) {
            return ProbeResult.failed("cannot resolve host " + uri.getHost());
        }
        if (cause instanceof ConnectException) {
            // Java 17's client retries a failed connect on the closed channel, losing why the first one failed
            return ProbeResult.failed(isRefusal(cause) ? "connection refused by " + authority()
                : "connection to " + authority() + " refused or unreachable");
        }
        if (causedBy(cause, SSLException.class)) {
            return ProbeResult.failed("TLS with " + authority() + " failed: " + message(cause));
        }
        return ProbeResult.failed("GET " + uri + " failed: " + message(cause));
    }

    private String authority() {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    private static boolean isRefusal(Throwable connectFailure) {
        for (Throwable t = connectFailure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The first message along the cause chain: the client often wraps the telling exception in a silent one. */
    private static String message(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static URI validated(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("the health URL " + uri + " must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the health URL " + uri + " has no valid host");
        }
        if (uri.getRawUserInfo() != null) {
            // the client would not send them, and they would show up in every probe detail
            throw new IllegalArgumentException("the health URL for " + uri.getHost()
                + " must not carry credentials");
        }
        return uri;
    }

    /** Reads and drops the body, stopping after {@code limit} bytes so an endless body cannot keep the probe busy. */
    private static final class BoundedDiscard implements HttpResponse.BodySubscriber<Void> {

        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private long remaining;
        private Flow.Subscription subscription;

        BoundedDiscard(long limit) {
            this.remaining = limit;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                remaining -= buffer.remaining();
            }
            if (remaining > 0) {
                subscription.request(1);
            } else {
                subscription.cancel();
                done.complete(null);
            }
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }
}
