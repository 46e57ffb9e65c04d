package io.opsd.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The floor for {@code benchmarks/heartbeat}: a bare Jetty 12 server (the Jetty the Felix HTTP bundle embeds) with
 * one servlet on {@code /heartbeat} that reads the body, parses it with Jackson's streaming parser, checks
 * {@code agent_id} and {@code pid}, and answers the same JSON shape opsd answers. No OSGi, no whiteboard, no queue.
 *
 * <p>Usage: {@code BareHeartbeatServer PORT [AGENT_ID]}; binds 127.0.0.1 only, runs until killed.
 */
public final class BareHeartbeatServer {

    private BareHeartbeatServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: BareHeartbeatServer PORT [AGENT_ID]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String agentId = args.length > 1 ? args[1] : "bench";

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new HeartbeatServlet(agentId), "/heartbeat");
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("bare heartbeat server on 127.0.0.1:" + port);
        server.join();
    }

    static final class HeartbeatServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        private static final int MAX_BODY = 64 * 1024;

        private final transient JsonFactory json = new JsonFactory();
        private final String agentId;

        HeartbeatServlet(String agentId) {
            this.agentId = agentId;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(response, 413, false, "request body too large");
                return;
            }
            String id = "";
            long pid = 0;
            try (JsonParser p = json.createParser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    reply(response, 400, false, "invalid JSON format: expected an object");
                    return;
                }
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "agent_id" -> id = v == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "pid" -> pid = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                        default -> p.skipChildren();
                    }
                }
                if (t != JsonToken.END_OBJECT) {
                    reply(response, 400, false, "invalid JSON format: unexpected token");
                    return;
                }
            } catch (IOException e) {
                reply(response, 400, false, "invalid JSON format");
                return;
            }
            if (id.isEmpty()) {
                reply(response, 400, false, "validation failed: agent_id: agent_id is required");
            } else if (!id.equals(agentId)) {
                reply(response, 400, false, "validation failed: agent_id: agent_id not found in registry");
            } else if (pid <= 0) {
                reply(response, 400, false, "validation failed: pid: pid must be greater than 0");
            } else {
                reply(response, 200, true, "heartbeat received");
            }
        }

        private static void reply(HttpServletResponse response, int status, boolean success, String message)
                throws IOException {
            byte[] bytes = ("{\"success\":" + success + ",\"message\":\"" + message + "\",\"timestamp\":\""
                + Instant.now() + "\"}\n").getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
