package io.opsd.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.manager.ManagerServiceGrpc;

/** A simulator started in this JVM on free loopback ports, a gRPC channel to it, and its control endpoint. */
final class RunningSimulator implements AutoCloseable {

    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    final ManagerSimulator simulator;
    final ManagedChannel channel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    private RunningSimulator(ManagerSimulator simulator) {
        this.simulator = simulator;
        this.channel = Grpc.newChannelBuilder("127.0.0.1:" + simulator.grpcPort(), InsecureChannelCredentials.create())
            .build();
    }

    static RunningSimulator start() throws IOException {
        return start(SimulatorOptions.defaults().withPort(0));
    }

    static RunningSimulator start(SimulatorOptions options) throws IOException {
        return new RunningSimulator(new ManagerSimulator(options, Clock.systemUTC()).start());
    }

    ManagerServiceGrpc.ManagerServiceBlockingStub manager() {
        return ManagerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    DaemonServiceGrpc.DaemonServiceBlockingStub daemon() {
        return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    JsonArray calls(String query) throws IOException, InterruptedException {
        return get("/calls" + query).getAsJsonArray();
    }

    JsonElement get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JsonParser.parseString(response.body());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    void mode(String rpc, String mode) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/mode", "{\"rpc\":\"" + rpc + "\",\"mode\":\"" + mode + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /mode answered " + response.statusCode() + ": " + response.body());
        }
    }

    JsonObject callback(String json) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/callback", json);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /callback answered " + response.statusCode() + ": " + response.body());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        // OperateAgent callbacks may take the Manager's full 90 s
        return http.send(request.timeout(Duration.ofSeconds(100)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + simulator.controlPort() + path);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        simulator.close();
    }
}
