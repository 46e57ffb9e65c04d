package io.opsd.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.admin.Bundle;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.admin.UpdateConfigurationResponse;
import io.opsd.grpc.manager.RegisterNodeRequest;

/** A push to every registered node, against small NodeAdmin servers on free loopback ports. */
class FleetPushTest {

    private final List<Server> servers = new ArrayList<>();
    private final Map<String, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private final NodeRegistry nodes = new NodeRegistry();

    @TempDir
    Path dir;

    /** A node that installs what it gets (or refuses it, when {@code refusal} is set) and validates "interval". */
    private void node(String id, Status refusal) throws IOException {
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata md,
                                                              ServerCallHandler<Q, R> next) {
                authorizations.put(id, String.valueOf(md.get(RecordingInterceptor.AUTHORIZATION)));
                return next.startCall(call, md);
            }
        };
        NodeAdminGrpc.NodeAdminImplBase admin = new NodeAdminGrpc.NodeAdminImplBase() {
            @Override
            public StreamObserver<InstallBundleChunk> installBundle(StreamObserver<InstallBundleResponse> response) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                received.put(id, bytes);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(InstallBundleChunk chunk) {
                        if (chunk.hasData()) {
                            bytes.writeBytes(chunk.getData().toByteArray());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        if (refusal != null) {
                            response.onError(refusal.asRuntimeException());
                            return;
                        }
                        response.onNext(InstallBundleResponse.newBuilder().setBundle(Bundle.newBuilder()
                            .setSymbolicName("io.acme.gpio").setVersion("1.2.0").setState("ACTIVE"))
                            .setReplaced(true).setPreviousVersion("1.1.0").build());
                        response.onCompleted();
                    }
                };
            }

            @Override
            public void updateConfiguration(UpdateConfigurationRequest request,
                                            StreamObserver<UpdateConfigurationResponse> response) {
                if (refusal != null) {
                    response.onError(refusal.asRuntimeException());
                    return;
                }
                boolean valid = request.getSetMap().getOrDefault("interval", "").endsWith("s");
                response.onNext(UpdateConfigurationResponse.newBuilder().setApplied(valid)
                    .addAllProblems(valid ? List.of() : List.of("interval: not a duration")).build());
                response.onCompleted();
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(admin, headers)).build().start();
        servers.add(server);
        nodes.register(RegisterNodeRequest.newBuilder().setNodeId(id).setIp("127.0.0.1")
            .putLabels(RegisteredNode.GRPC_PORT_LABEL, Integer.toString(server.getPort())).build(), 1L);
    }

    @AfterEach
    void stop() {
        servers.forEach(Server::shutdownNow);
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void aBundleReachesEveryNodeAndEachOutcomeIsReportedIncludingAFailingNode() throws Exception {
        node("n1", null);
        node("n2", null);
        node("n3", Status.PERMISSION_DENIED.withDescription("signature by an unknown key"));
        byte[] jar = new byte[200_000];
        for (int i = 0; i < jar.length; i++) {
            jar[i] = (byte) i;
        }
        Path bundle = Files.write(dir.resolve("gpio.jar"), jar);
        Path sig = Files.write(dir.resolve("gpio.jar.sig"), new byte[64]);
        JsonObject answer = new FleetPush(nodes, null).push(json("{\"admin_token\":\"adm1n\",\"bundle\":\""
            + bundle.toString().replace("\\", "\\\\") + "\",\"signature\":\"" + sig.toString().replace("\\", "\\\\")
            + "\"}"));
        assertEquals(3, answer.get("nodes").getAsInt());
        assertEquals(2, answer.get("ok").getAsInt());
        assertEquals(1, answer.get("failed").getAsInt());
        var results = answer.getAsJsonArray("results");
        JsonObject n1 = results.get(0).getAsJsonObject();
        assertEquals("n1", n1.get("node_id").getAsString());
        assertTrue(n1.get("ok").getAsBoolean());
        assertEquals("1.2.0", n1.get("version").getAsString());
        assertTrue(n1.get("replaced").getAsBoolean());
        assertEquals("1.1.0", n1.get("previous_version").getAsString());
        assertTrue(n1.get("target").getAsString().startsWith("127.0.0.1:"));
        JsonObject n3 = results.get(2).getAsJsonObject();
        assertFalse(n3.get("ok").getAsBoolean());
        assertEquals("PERMISSION_DENIED", n3.get("code").getAsString());
        assertEquals("signature by an unknown key", n3.get("description").getAsString());
        for (String id : List.of("n1", "n2", "n3")) {
            assertArrayEquals(jar, received.get(id).toByteArray(), id + " got the exact bytes");
            assertEquals("Bearer adm1n", authorizations.get(id));
        }
    }

    @Test
    void aConfigurationChangeReportsAppliedAndProblemsPerNode() throws Exception {
        node("n1", null);
        node("n2", Status.UNAUTHENTICATED.withDescription("invalid admin token"));
        nodes.heartbeatOrAutoRegister("n0-unknown", 1L, 1L);
        JsonObject answer = new FleetPush(nodes, null).push(json(
            "{\"admin_token\":\"adm1n\",\"pid\":\"io.opsd.collector.cpu\",\"set\":{\"interval\":\"10\"}}"));
        var results = answer.getAsJsonArray("results");
        JsonObject unknown = results.get(0).getAsJsonObject();
        assertEquals("FAILED_PRECONDITION", unknown.get("code").getAsString(), "a node without ip is reported");
        JsonObject n1 = results.get(1).getAsJsonObject();
        assertTrue(n1.get("ok").getAsBoolean());
        assertFalse(n1.get("applied").getAsBoolean());
        assertEquals("interval: not a duration", n1.getAsJsonArray("problems").get(0).getAsString());
        JsonObject n2 = results.get(2).getAsJsonObject();
        assertEquals("UNAUTHENTICATED", n2.get("code").getAsString());
        assertEquals("invalid admin token", n2.get("description").getAsString());
    }

    @Test
    void aPushWithoutAdminTokenIsRefusedBeforeAnyNodeIsCalled() throws Exception {
        node("n1", null);
        ControlRequestException e = org.junit.jupiter.api.Assertions.assertThrows(ControlRequestException.class,
            () -> new FleetPush(nodes, null).push(json("{\"pid\":\"p\",\"set\":{\"a\":\"b\"}}")));
        assertEquals(400, e.httpStatus());
        assertTrue(authorizations.isEmpty());
    }
}
