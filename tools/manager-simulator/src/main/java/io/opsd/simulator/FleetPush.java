package io.opsd.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.admin.UpdateConfigurationResponse;
import io.opsd.grpc.client.InstallBundleCall;

/**
 * Pushes a bundle or a configuration change to every registered node through its NodeAdmin (at the ip it
 * registered with, on its {@code opsd.grpc_port}), all nodes at once, and reports each node's outcome.
 */
final class FleetPush {

    /** An install waits for the bundle's activation on the node (30 s by default). */
    static final Duration INSTALL_DEADLINE = Duration.ofSeconds(90);
    static final Duration UPDATE_DEADLINE = Duration.ofSeconds(30);
    private static final int MAX_PARALLEL = 32;

    private final NodeRegistry nodes;
    private final Path nodeCa;

    /** {@code nodeCa} may be {@code null}: plaintext, as for the DaemonService callbacks. */
    FleetPush(NodeRegistry nodes, Path nodeCa) {
        this.nodes = nodes;
        this.nodeCa = nodeCa;
    }

    /**
     * {@code {"admin_token":..., "bundle":"/path/x.jar", "signature":"/path/x.jar.sig", "activation_timeout_seconds":0}}
     * or {@code {"admin_token":..., "pid":..., "set":{"k":"v"}, "remove":["k"], "dry_run":false}}: one result per
     * registered node, sorted by node id.
     */
    JsonObject push(JsonObject request) {
        String token = string(request, "admin_token");
        if (token.isEmpty()) {
            throw new ControlRequestException(400, "\"admin_token\" is required: NodeAdmin refuses calls without it");
        }
        Function<Channel, JsonObject> action;
        if (request.has("bundle")) {
            action = install(request);
        } else if (request.has("pid")) {
            action = update(request);
        } else {
            throw new ControlRequestException(400, "give \"bundle\" and \"signature\" (an install) or \"pid\" with"
                + " \"set\" and/or \"remove\" (a configuration change)");
        }
        List<RegisteredNode> targets = nodes.nodes();
        JsonArray results = new JsonArray();
        if (!targets.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, targets.size()), r -> {
                Thread t = new Thread(r, "simulator-fleet-push");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<JsonObject>> running = new ArrayList<>();
                targets.forEach(node -> running.add(pool.submit(() -> one(node, token, action))));
                for (int i = 0; i < targets.size(); i++) {
                    results.add(result(targets.get(i), running.get(i)));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("nodes", targets.size());
        answer.addProperty("ok", count(results, true));
        answer.addProperty("failed", count(results, false));
        answer.add("results", results);
        return answer;
    }

    private static int count(JsonArray results, boolean ok) {
        int n = 0;
        for (JsonElement r : results) {
            n += r.getAsJsonObject().get("ok").getAsBoolean() == ok ? 1 : 0;
        }
        return n;
    }

    private static JsonObject result(RegisteredNode node, Future<JsonObject> running) {
        try {
            return running.get(INSTALL_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return failed(node, "", "INTERNAL", String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return failed(node, "", "DEADLINE_EXCEEDED", "no outcome within " + INSTALL_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(node, "", "CANCELLED", "interrupted");
        }
    }

    private JsonObject one(RegisteredNode node, String token, Function<Channel, JsonObject> action) {
        if (node.ip().isBlank() || node.ip().equals(NodeRegistry.UNKNOWN)) {
            return failed(node, "", "FAILED_PRECONDITION", "registered no ip; it must send RegisterNode first");
        }
        String target;
        try {
            target = (node.ip().contains(":") ? "[" + node.ip() + "]" : node.ip()) + ":" + node.daemonPort();
        } catch (IllegalStateException e) {
            return failed(node, "", "FAILED_PRECONDITION", e.getMessage());
        }
        ManagedChannel channel = Grpc.newChannelBuilder(target, NodeCallback.credentials(nodeCa)).build();
        long start = System.nanoTime();
        try {
            Metadata headers = new Metadata();
            headers.put(RecordingInterceptor.AUTHORIZATION, "Bearer " + token);
            JsonObject outcome = action.apply(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)));
            JsonObject result = base(node, target);
            result.addProperty("ok", true);
            outcome.entrySet().forEach(e -> result.add(e.getKey(), e.getValue()));
            result.addProperty("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return result;
        } catch (StatusRuntimeException e) {
            JsonObject result = failed(node, target, e.getStatus().getCode().name(), e.getStatus().getDescription());
            result.addProperty("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return result;
        } finally {
            channel.shutdownNow();
        }
    }

    private static JsonObject base(RegisteredNode node, String target) {
        JsonObject r = new JsonObject();
        r.addProperty("node_id", node.nodeId());
        r.addProperty("target", target);
        return r;
    }

    private static JsonObject failed(RegisteredNode node, String target, String code, String description) {
        JsonObject r = base(node, target);
        r.addProperty("ok", false);
        r.addProperty("code", code);
        r.addProperty("description", description == null ? "" : description);
        return r;
    }

    private static Function<Channel, JsonObject> install(JsonObject request) {
        Path jar = Path.of(string(request, "bundle"));
        Path sig = Path.of(string(request, "signature"));
        byte[] bytes;
        byte[] signature;
        try {
            bytes = Files.readAllBytes(jar);
            signature = Files.readAllBytes(sig);
        } catch (IOException e) {
            throw new ControlRequestException(400, "cannot read " + e.getMessage()
                + " (\"bundle\" and \"signature\" are files on the simulator's machine)");
        }
        InstallBundleHeader header = InstallBundleCall.header(jar.getFileName().toString(), bytes, signature)
            .setActivationTimeoutSeconds(request.has("activation_timeout_seconds")
                ? request.get("activation_timeout_seconds").getAsInt() : 0).build();
        return channel -> {
            InstallBundleResponse installed = send(NodeAdminGrpc.newStub(channel), header, bytes);
            JsonObject r = new JsonObject();
            r.addProperty("symbolic_name", installed.getBundle().getSymbolicName());
            r.addProperty("version", installed.getBundle().getVersion());
            r.addProperty("state", installed.getBundle().getState());
            r.addProperty("replaced", installed.getReplaced());
            r.addProperty("previous_version", installed.getPreviousVersion());
            return r;
        };
    }

    private static InstallBundleResponse send(NodeAdminGrpc.NodeAdminStub stub, InstallBundleHeader header,
                                              byte[] bytes) {
        return InstallBundleCall.send(stub.withDeadlineAfter(INSTALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
            header, bytes).await(INSTALL_DEADLINE.plusSeconds(5));
    }

    private static Function<Channel, JsonObject> update(JsonObject request) {
        UpdateConfigurationRequest.Builder b = UpdateConfigurationRequest.newBuilder().setPid(string(request, "pid"))
            .setDryRun(request.has("dry_run") && request.get("dry_run").getAsBoolean());
        if (request.has("set")) {
            for (Map.Entry<String, JsonElement> e : request.getAsJsonObject("set").entrySet()) {
                b.putSet(e.getKey(), e.getValue().getAsString());
            }
        }
        if (request.has("remove")) {
            request.getAsJsonArray("remove").forEach(k -> b.addRemove(k.getAsString()));
        }
        if (b.getSetCount() == 0 && b.getRemoveCount() == 0) {
            throw new ControlRequestException(400, "a configuration change needs \"set\" or \"remove\"");
        }
        UpdateConfigurationRequest update = b.build();
        return channel -> {
            UpdateConfigurationResponse answer = NodeAdminGrpc.newBlockingStub(channel).withDeadlineAfter(UPDATE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).updateConfiguration(update);
            JsonObject r = new JsonObject();
            r.addProperty("pid", update.getPid());
            r.addProperty("applied", answer.getApplied());
            JsonArray problems = new JsonArray();
            answer.getProblemsList().forEach(problems::add);
            r.add("problems", problems);
            return r;
        };
    }

    private static String string(JsonObject request, String field) {
        return request.has(field) && !request.get(field).isJsonNull() ? request.get(field).getAsString() : "";
    }
}
