package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The heartbeat receiver's request read timeout (the HTTP idle timeout, {@code org.apache.felix.http.timeout}):
 * clients that stall in the middle of a body are dropped, and while they hang on, heartbeats are still served.
 */
class HeartbeatReadTimeoutIT {

    @Test
    void stalledBodiesAreCutOffAndDoNotBlockOtherHeartbeats() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("readtimeout")) {
            Path http = node.configFile("org.apache.felix.http.cfg");
            Files.writeString(http, Files.readString(http).replaceAll("(?m)^org\\.apache\\.felix\\.http\\.timeout\\s*=.*$",
                "org.apache.felix.http.timeout = 2000"));
            Files.writeString(node.configFile("io.opsd.agent-rt.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
            node.start();
            node.awaitReady();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            NodeProcess.await(Duration.ofSeconds(30), () -> post(client, node) == 200, () -> "rt never registered");

            // 20 clients announce 100 bytes and send 10, then nothing
            List<Socket> stalled = new ArrayList<>();
            long opened = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", node.httpPort), 5000);
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"agent_id\"").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(s);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(200, post(client, node), "a heartbeat while 20 clients stall");
            }
            for (Socket s : stalled) {
                try (s; InputStream in = s.getInputStream()) {
                    byte[] answer = in.readAllBytes(); // returns when the server closes the connection
                    String text = new String(answer, StandardCharsets.US_ASCII);
                    assertTrue(text.isEmpty() || !text.startsWith("HTTP/1.1 200"), "a stalled body is never accepted: "
                        + text);
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("a stalled client was still connected after 15 s", e);
                } catch (IOException e) {
                    // reset by the server: dropped, as wanted
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - opened).toSeconds();
            assertTrue(seconds < 12, "stalled clients dropped after about the 2 s timeout, took " + seconds + " s");
            assertEquals(200, post(client, node), "and the receiver serves on");
            assertEquals(200, node.status("/ready"));
        }
    }

    private static int post(HttpClient client, NodeProcess node) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"agent_id\":\"rt\",\"pid\":1}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
