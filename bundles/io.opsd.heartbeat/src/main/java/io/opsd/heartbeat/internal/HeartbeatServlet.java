package io.opsd.heartbeat.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.heartbeat.HeartbeatIntake;

/**
 * {@code POST /heartbeat} and {@code GET /heartbeat/stats}, with the old daemon's status codes and messages
 * byte for byte (contracts.md §3), plus a body limit (413) and an optional bearer token (401).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("io.opsd.heartbeat")
@HttpWhiteboardServletPattern({"/heartbeat", "/heartbeat/stats"})
public final class HeartbeatServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String STATS = "/heartbeat/stats";
    /** The most of an oversized body read and dropped so that its sender still gets the 413. */
    private static final long DRAIN_MAX = 1L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatServlet.class);

    private final transient HeartbeatReceiver receiver;
    private final transient HeartbeatIntake intake;

    @Activate
    public HeartbeatServlet(@Reference(name = "receiver") HeartbeatReceiver receiver,
                            @Reference(name = "intake") HeartbeatIntake intake) {
        this.receiver = receiver;
        this.intake = intake;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean stats = STATS.equals(request.getServletPath());
        String method = request.getMethod();
        if (stats && !"GET".equals(method)) {
            reply(response, 405, false, "method not allowed, expected GET");
        } else if (!stats && !"POST".equals(method)) {
            reply(response, 405, false, "method not allowed, expected POST");
        } else if (!authorized(request)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"opsd\"");
            reply(response, 401, false, "unauthorized");
        } else if (stats) {
            stats(response);
        } else {
            heartbeat(request, response);
        }
    }

    private void heartbeat(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Instant now = Instant.now();
        if (receiver.stopped()) {
            reply(response, 503, false, "heartbeat receiver is stopped");
            return;
        }
        long limit = receiver.settings().maxBody();
        byte[] body;
        boolean drained = true;
        try (InputStream in = request.getInputStream()) {
            long declared = request.getContentLengthLong();
            body = declared > limit ? null : in.readNBytes((int) limit + 1);
            if (body == null || body.length > limit) {
                body = null;
                // read the rest (up to a bound) before answering: a client still sending when the connection closes
                // gets a reset instead of the 413
                drained = declared <= DRAIN_MAX && drainedQuietly(in);
            }
        } catch (IOException | RuntimeException e) {
            // bad framing (a bad chunk size, a body shorter than its Content-Length): Jetty's read fails, and an
            // exception out of service() would be a 500 with an HTML page
            unreadableBody(response, e);
            return;
        }
        if (body == null) {
            if (!drained) {
                response.setHeader("Connection", "close"); // the unread body makes the connection unusable
            }
            reply(response, 413, false, "request body too large");
            return;
        }
        HeartbeatIntake.Result result = intake.offer(body, now);
        int status = switch (result.outcome()) {
            case QUEUED -> 200;
            case MALFORMED, INVALID -> 400;
            case FULL, STOPPED -> 503;
        };
        reply(response, status, status == 200, result.message());
    }

    /**
     * Reads and drops what is left of a body; false when more than {@link #DRAIN_MAX} bytes were left or the rest
     * could not be read (the 413 goes out all the same, on a connection that is then closed).
     */
    private static boolean drainedQuietly(InputStream in) {
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > DRAIN_MAX) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("the rest of an oversized body could not be read: {}", e.toString());
            return false;
        }
    }

    /**
     * 400 with the contract's JSON for a body that could not be read, on a connection then closed (what is left of
     * the stream cannot be trusted). A client that is already gone gets nothing: that is one DEBUG line, not a
     * stack trace per request.
     */
    private void unreadableBody(HttpServletResponse response, Exception e) {
        LOG.debug("heartbeat body unreadable: {}", e.toString());
        try {
            response.setHeader("Connection", "close");
            reply(response, 400, false, "invalid request body: " + reason(e));
            response.flushBuffer();
        } catch (IOException | RuntimeException gone) {
            LOG.debug("no answer for an unreadable heartbeat body, the client is gone: {}", gone.toString());
        }
    }

    /** A short reason for an unreadable body: the innermost message in the cause chain, printable and bounded. */
    static String reason(Throwable e) {
        String reason = null;
        boolean eof = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            eof |= t instanceof java.io.EOFException;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage().strip();
            }
        }
        if (reason == null) {
            return eof ? "the body ended before its declared length" : "the body could not be read";
        }
        reason = reason.replaceAll("[^\\x20-\\x7e]", "?");
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }

    private boolean authorized(HttpServletRequest request) {
        String token = receiver.settings().token();
        if (token.isEmpty()) {
            return true;
        }
        String header = request.getHeader("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private void stats(HttpServletResponse response) throws IOException {
        write(response, 200, GoJson.stats(receiver.stats()));
    }

    private void reply(HttpServletResponse response, int status, boolean success, String message) throws IOException {
        write(response, status, GoJson.answer(success, message));
    }

    private void write(HttpServletResponse response, int status, String body) throws IOException {
        receiver.countResponse(status);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
