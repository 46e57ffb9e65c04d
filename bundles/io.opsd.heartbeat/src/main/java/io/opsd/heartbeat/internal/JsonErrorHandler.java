package io.opsd.heartbeat.internal;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's server-wide error answer, as the heartbeat contract's JSON ({@code success} false, {@code message},
 * {@code timestamp}) instead of an HTML page: requests Jetty rejects before any servlet runs (a bad header line, a
 * URI or headers over the limit, a bad Content-Length, an unknown HTTP version), unknown paths, and what a servlet
 * let escape. A request that is malformed never gets a 5xx: Jetty's 505 for an unknown HTTP version, or a 500
 * for a body whose framing broke under a servlet, becomes 400.
 */
final class JsonErrorHandler implements Request.Handler {

    private static final int MAX_REASON = 120;

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Throwable cause = attribute(request, Throwable.class, ErrorHandler.ERROR_EXCEPTION,
            "jakarta.servlet.error.exception");
        Integer given = attribute(request, Integer.class, ErrorHandler.ERROR_STATUS, "jakarta.servlet.error.status_code");
        int status = given != null ? given : response.getStatus();
        String reason = attribute(request, String.class, ErrorHandler.ERROR_MESSAGE, "jakarta.servlet.error.message");
        if (reason == null || reason.isBlank() || reason.startsWith("org.eclipse.jetty.")) {
            reason = HttpStatus.getMessage(status);
        }
        boolean malformed = malformed(cause);
        if (malformed && status >= 500 && status != HttpStatus.SERVICE_UNAVAILABLE_503) {
            status = HttpStatus.BAD_REQUEST_400;
        }
        String message = (malformed ? "invalid HTTP request: " : "") + printable(reason);
        byte[] body = GoJson.answer(false, message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
        if (malformed) {
            // what follows on the connection cannot be trusted
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, null, callback);
        } else {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
        return true;
    }

    /** A client's framing at fault: a message Jetty could not parse, or a body that ended early. */
    private static boolean malformed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException e && e.getCode() < 600 || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    private static <T> T attribute(Request request, Class<T> type, String... names) {
        for (String name : names) {
            Object value = request.getAttribute(name);
            if (type.isInstance(value)) {
                return type.cast(value);
            }
        }
        return null;
    }

    private static String printable(String reason) {
        String s = reason.replaceAll("[^\\x20-\\x7e]", "?").strip();
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON) : s;
    }
}
