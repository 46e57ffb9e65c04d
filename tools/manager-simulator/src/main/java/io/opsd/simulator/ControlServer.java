package io.opsd.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The control HTTP endpoint, on loopback only: read what the simulator received, change how it answers, and make it
 * call a node back. See docs/manager-simulator.md for the paths.
 */
final class ControlServer {

    private static final int MAX_BODY_BYTES = 1024 * 1024;
    /** A callback may wait 90 s for OperateAgent; the other threads keep answering reads meanwhile. */
    private static final int THREADS = 4;

    private final CallRecorder recorder;
    private final NodeRegistry nodes;
    private final AgentStateStore states;
    private final FaultModes modes;
    private final NodeCallback callback;
    private final FleetPush push;
    private final Gson gson = new GsonBuilder().serializeNulls().create();
    private final HttpServer server;
    private final ExecutorService executor;

    ControlServer(int port, CallRecorder recorder, NodeRegistry nodes, AgentStateStore states, FaultModes modes,
        NodeCallback callback, FleetPush push) throws IOException {
        this.recorder = recorder;
        this.nodes = nodes;
        this.states = states;
        this.modes = modes;
        this.callback = callback;
        this.push = push;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            this.server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot serve the control endpoint on " + ManagerSimulator.hostPort(
                address.getAddress().getHostAddress(), port) + ": " + e.getMessage() + "; pick another --control-port", e);
        }
        AtomicInteger threadCount = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "simulator-control-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            try {
                JsonElement answer = switch (path) {
                    case "/calls" -> get(method, () -> JsonViews.calls(recorder.calls(query.get("rpc"), since(query))));
                    case "/nodes" -> get(method, () -> JsonViews.nodes(nodes.nodes()));
                    case "/states" -> get(method, () -> JsonViews.states(states.states()));
                    case "/mode" -> method.equals("GET") ? JsonViews.modes(modes.snapshot())
                        : post(method, () -> setMode(body(exchange)));
                    case "/reset" -> post(method, () -> reset("true".equals(query.get("all"))));
                    case "/callback" -> post(method, () -> callback.call(body(exchange)));
                    case "/push" -> post(method, () -> push.push(body(exchange)));
                    default -> throw new ControlRequestException(404, "no such path " + path
                        + "; use /calls, /nodes, /states, /mode, /reset, /callback or /push");
                };
                send(exchange, 200, answer);
            } catch (ControlRequestException e) {
                send(exchange, e.httpStatus(), JsonViews.error(e.getMessage()));
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                | NumberFormatException e) {
                send(exchange, 400, JsonViews.error("bad JSON body: " + e.getMessage()));
            } catch (RuntimeException e) {
                send(exchange, 500, JsonViews.error("manager simulator failed: " + e));
            }
        }
    }

    private JsonObject setMode(JsonObject body) {
        String rpc = string(body, "rpc");
        Mode mode;
        try {
            mode = Mode.fromWireName(string(body, "mode"));
            if (rpc.equals("*")) {
                modes.setAll(mode);
            } else {
                modes.set(SimulatedRpc.fromMethodName(rpc), mode);
            }
        } catch (IllegalArgumentException e) {
            throw new ControlRequestException(400, e.getMessage());
        }
        if (mode == Mode.UNKNOWN_NODE && (rpc.equals("*") || rpc.equals(SimulatedRpc.HEARTBEAT.methodName()))) {
            nodes.forgetAll(); // as a Manager that lost its database: every node must register again
        }
        return JsonViews.modes(modes.snapshot());
    }

    private JsonObject reset(boolean all) {
        recorder.clear();
        if (all) {
            nodes.forgetAll();
            states.clear();
            modes.setAll(Mode.OK);
        }
        JsonObject o = new JsonObject();
        o.addProperty("reset", all ? "all" : "calls");
        return o;
    }

    private static JsonElement get(String method, Supplier<JsonElement> answer) {
        if (!method.equals("GET")) {
            throw new ControlRequestException(405, "method " + method + " not allowed; use GET");
        }
        return answer.get();
    }

    private static JsonElement post(String method, Supplier<JsonElement> answer) {
        if (!method.equals("POST")) {
            throw new ControlRequestException(405, "method " + method + " not allowed; use POST");
        }
        return answer.get();
    }

    private static JsonObject body(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ControlRequestException(413, "request body over " + MAX_BODY_BYTES + " bytes");
            }
            JsonElement json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new ControlRequestException(400, "the body must be a JSON object");
            }
            return json.getAsJsonObject();
        } catch (IOException e) {
            throw new ControlRequestException(400, "cannot read the request body: " + e.getMessage());
        }
    }

    private static String string(JsonObject body, String field) {
        JsonElement value = body.get(field);
        if (value == null || value.isJsonNull() || value.getAsString().isEmpty()) {
            throw new ControlRequestException(400, "\"" + field + "\" is required");
        }
        return value.getAsString();
    }

    private static long since(Map<String, String> query) {
        String since = query.get("since");
        try {
            return since == null ? 0 : Long.parseLong(since);
        } catch (NumberFormatException e) {
            throw new ControlRequestException(400, "since=" + since + " is not an index");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private void send(HttpExchange exchange, int status, JsonElement body) throws IOException {
        byte[] bytes = (gson.toJson(body) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
