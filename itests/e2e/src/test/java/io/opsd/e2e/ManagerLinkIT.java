package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;

/**
 * The Manager link against the Manager simulator, each in its own process over loopback: registration with the
 * node's real identity, heartbeats and reports at their own intervals, state changes, callbacks, an outage with
 * store and forward (also across a kill -9 of the node), a stalled Manager, and TLS.
 */
class ManagerLinkIT {

    private static final Duration LIMIT = Duration.ofSeconds(40);

    /** Collectors every second, one agent, and the link pointed at {@code simulator}. */
    private static NodeProcess node(String name, ManagerSimulatorProcess simulator, String link, String nodeConfig)
        throws IOException {
        NodeProcess node = NodeProcess.newHome(name);
        for (String collector : List.of("cpu", "memory", "disk", "network", "load")) {
            Path cfg = node.configFile("io.opsd.collector." + collector + ".cfg");
            Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^#interval\\s*=.*$", "interval = 1s"));
        }
        Files.writeString(node.configFile("io.opsd.agent-a1.cfg"), "binary_path = /bin/sh\n"
            + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
        Files.writeString(node.configFile("io.opsd.node.cfg"), "labels = site=lab,rack=r7\n" + nodeConfig);
        Files.writeString(node.configFile("io.opsd.manager.cfg"), "address = " + simulator.address() + "\n" + link);
        return node;
    }

    private static ManagedChannel channel(NodeProcess node) {
        return NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort).usePlaintext().build();
    }

    private static void operate(ManagedChannel channel, String agent, String operation) {
        assertTrue(DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
            .operateAgent(AgentOperationRequest.newBuilder().setAgentId(agent).setOperation(operation).build())
            .getSuccess());
    }

    private static List<Long> times(List<JsonNode> calls) {
        return calls.stream().map(c -> c.get("received_at_ms").asLong()).toList();
    }

    private static long median(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        Collections.sort(gaps);
        return gaps.get(gaps.size() / 2);
    }

    private static Set<String> hostAddresses() throws IOException {
        try (Stream<NetworkInterface> interfaces = NetworkInterface.networkInterfaces()) {
            return interfaces.flatMap(NetworkInterface::inetAddresses).map(InetAddress::getHostAddress)
                .collect(Collectors.toSet());
        }
    }

    @Test
    void registersWithTheRealIdentityReportsOnItsOwnIntervalsSyncsChangesAndIsCalledBack() throws Exception {
        try (ManagerSimulatorProcess simulator = ManagerSimulatorProcess.start();
             NodeProcess node = node("link", simulator, "heartbeat_interval = 1s\nreport_interval = 2s\n"
                 + "sync_interval = 60s\nsync_debounce = 500ms\n", "")) {
            node.start();
            node.awaitReady();
            // the gRPC server may start after the link: the node registers again once it knows the port
            JsonNode[] withPort = new JsonNode[1];
            NodeProcess.await(LIMIT, () -> {
                try {
                    simulator.calls("RegisterNode").stream().map(c -> c.get("request"))
                        .filter(r -> r.path("labels").has("opsd.grpc_port")).findFirst().ifPresent(r -> withPort[0] = r);
                    return withPort[0] != null;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "no registration with the gRPC port label");
            JsonNode registration = withPort[0];
            // nothing was buffered, so nothing was dropped: the counter is there, at zero
            NodeProcess.await(LIMIT, () -> node.bodyOrError("/metrics").lines()
                .anyMatch(l -> l.equals("opsd_manager_buffer_dropped_total 0.0") || l.equals(
                    "opsd_manager_buffer_dropped_total 0")), () -> "no opsd_manager_buffer_dropped_total in /metrics");
            String nodeId = Files.readString(node.dataFile("node_id")).trim();
            assertEquals(nodeId, registration.get("node_id").asText());
            String ip = registration.get("ip").asText();
            assertNotEquals("127.0.0.1", ip, "the primary address, not loopback: " + registration);
            assertTrue(hostAddresses().contains(ip), ip + " is an address of this host " + hostAddresses());
            assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(),
                registration.get("hostname").asText());
            assertEquals("linux", registration.get("os").asText());
            String arch = System.getProperty("os.arch");
            assertEquals(arch.equals("aarch64") ? "arm64" : arch, registration.get("arch").asText());
            assertEquals(System.getProperty("opsd.version"), registration.get("daemon_version").asText());
            JsonNode labels = registration.get("labels");
            assertEquals("lab", labels.get("site").asText());
            assertEquals("r7", labels.get("rack").asText());
            assertEquals(String.valueOf(node.grpcPort), labels.get("opsd.grpc_port").asText(), labels.toString());
            // gRPC on loopback while the node registers its primary address: the operator is told at start
            String unreachable = "the Manager calls this node back at " + ip + ":" + node.grpcPort
                + ", but grpc listens on 127.0.0.1:" + node.grpcPort + " only";
            NodeProcess.await(LIMIT, () -> node.output().contains(unreachable), () -> "no warning: " + node.output());

            // heartbeats every second and reports every two, each on its own interval
            List<JsonNode> heartbeats = simulator.awaitCalls("Heartbeat", 6, LIMIT);
            List<JsonNode> reports = simulator.awaitCalls("ReportMetrics", 4, LIMIT);
            long heartbeatGap = median(times(heartbeats));
            long reportGap = median(times(reports));
            assertTrue(heartbeatGap > 700 && heartbeatGap < 1500, "heartbeat every ~1 s: " + heartbeatGap + " ms");
            assertTrue(reportGap > 1500 && reportGap < 2600, "reports every ~2 s: " + reportGap + " ms");
            assertEquals(nodeId, heartbeats.get(0).get("request").get("node_id").asText());
            assertContractKeys(simulator.calls("ReportMetrics"));

            // a state change reaches the Manager within sync_debounce + 1 s
            try (AutoCloseableChannel grpc = new AutoCloseableChannel(channel(node))) {
                long before = System.currentTimeMillis();
                operate(grpc.channel, "a1", "stop");
                long stopped = System.currentTimeMillis();
                JsonNode sync = awaitState(simulator, "a1", "stopped", before);
                long arrived = sync.get("received_at_ms").asLong();
                assertTrue(arrived - stopped <= 1500, "sync " + (arrived - stopped) + " ms after the stop answered");
                operate(grpc.channel, "a1", "start");
                JsonNode running = awaitState(simulator, "a1", "running", stopped);
                JsonNode state = running.get("request").get("states").get(0);
                assertTrue(state.get("pid").asLong() > 0, state.toString());
                assertEquals("custom", state.get("type").asText());
            }

            // advertise loopback, and the Manager can call the node back on the advertised address and port
            NodeProcess.writeAtomically(node.configFile("io.opsd.node.cfg"),
                "labels = site=lab,rack=r7\nadvertise_address = 127.0.0.1\n");
            long since = simulator.calls(null).size();
            NodeProcess.await(LIMIT, () -> {
                try {
                    return simulator.calls("RegisterNode", since).stream()
                        .anyMatch(c -> c.get("request").get("ip").asText().equals("127.0.0.1"));
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "no registration with the new address");
            JsonNode listed = simulator.callback(nodeId, "ListAgents");
            assertTrue(listed.get("ok").asBoolean(), listed.toString());
            assertEquals("a1", listed.get("response").get("agents").get(0).get("id").asText(), listed.toString());
            JsonNode restarted = simulator.callback(nodeId, "OperateAgent", "a1", "restart");
            assertTrue(restarted.get("ok").asBoolean(), restarted.toString());
            assertTrue(restarted.get("response").get("success").asBoolean(), restarted.toString());

            // a new interval through ConfigAdmin applies to the link alone: the agent and HTTP go on untouched
            long agentPid;
            try (AutoCloseableChannel grpc = new AutoCloseableChannel(channel(node))) {
                agentPid = DaemonServiceGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance()).getAgents(0).getPid();
            }
            long startedLines = count(node, "Started Jetty");
            NodeProcess.writeAtomically(node.configFile("io.opsd.manager.cfg"), "address = " + simulator.address()
                + "\nheartbeat_interval = 3s\nreport_interval = 2s\nsync_interval = 60s\nsync_debounce = 500ms\n");
            NodeProcess.await(LIMIT, () -> count(node, "Manager link to") >= 2, () -> "the link was not restarted");
            long edited = System.currentTimeMillis();
            List<JsonNode> slower = new ArrayList<>();
            NodeProcess.await(LIMIT, () -> {
                try {
                    slower.clear();
                    simulator.calls("Heartbeat").stream().filter(c -> c.get("received_at_ms").asLong() > edited)
                        .forEach(slower::add);
                    return slower.size() >= 4;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "heartbeats after the edit: " + slower.size());
            long gap = median(times(slower));
            assertTrue(gap > 2500 && gap < 3600, "heartbeat every ~3 s after the edit: " + gap + " ms");
            try (AutoCloseableChannel grpc = new AutoCloseableChannel(channel(node))) {
                assertEquals(agentPid, DaemonServiceGrpc.newBlockingStub(grpc.channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).listAgents(ListAgentsRequest.getDefaultInstance())
                    .getAgents(0).getPid(), "the agent was not restarted");
            }
            assertEquals(startedLines, count(node, "Started Jetty"), "the HTTP service was not restarted");
            assertEquals(200, node.status("/ready"));
        }
    }

    private static JsonNode awaitState(ManagerSimulatorProcess simulator, String agent, String status, long after) {
        JsonNode[] found = new JsonNode[1];
        NodeProcess.await(LIMIT, () -> {
            try {
                for (JsonNode c : simulator.calls("SyncAgentStates")) {
                    if (c.get("received_at_ms").asLong() < after || c.get("request").isNull()) {
                        continue;
                    }
                    for (JsonNode s : c.get("request").path("states")) {
                        if (s.get("agent_id").asText().equals(agent) && s.get("status").asText().equals(status)) {
                            found[0] = c;
                            return true;
                        }
                    }
                }
                return false;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, () -> "no SyncAgentStates with " + agent + " " + status);
        return found[0];
    }

    private static void assertContractKeys(List<JsonNode> reports) {
        Set<String> types = new TreeSet<>();
        for (JsonNode r : reports) {
            for (JsonNode m : r.get("request").path("metrics")) {
                types.add(m.get("type").asText());
                JsonNode values = m.get("values");
                List<String> expected = switch (m.get("type").asText()) {
                    case "cpu" -> List.of("usage_percent", "cores", "mhz", "user", "system", "idle", "iowait");
                    case "memory" -> List.of("total_bytes", "used_bytes", "free_bytes", "available_bytes",
                        "usage_percent", "cached", "buffers", "swap_total", "swap_used", "swap_free", "swap_percent",
                        "total", "available", "used", "free");
                    case "disk" -> List.of("total_bytes", "used_bytes", "free_bytes", "usage_percent", "read_bytes",
                        "write_bytes", "partition_count");
                    case "network" -> List.of("rx_bytes", "tx_bytes", "bytes_sent", "bytes_recv", "packets_sent",
                        "packets_recv", "error_in", "error_out", "drop_in", "drop_out", "interface_count",
                        "interval_seconds");
                    default -> List.of();
                };
                for (String key : expected) {
                    assertTrue(values.has(key) && values.get(key).isNumber(), m.get("type") + " lacks " + key + ": "
                        + values);
                }
            }
        }
        assertTrue(types.containsAll(List.of("cpu", "memory", "disk", "network")), "one MetricData per collector: "
            + types);
    }

    @Test
    void anOutageIsBridgedByTheDiskBufferInOrderAlsoAcrossAKillOfTheNode() throws Exception {
        try (ManagerSimulatorProcess simulator = ManagerSimulatorProcess.start();
             NodeProcess node = node("outage", simulator, "heartbeat_interval = 1s\nreport_interval = 1s\n"
                 + "sync_interval = 60s\nsync_debounce = 200ms\nreconnect_max = 2s\ntimeout = 2s\n", "")) {
            node.start();
            node.awaitReady();
            simulator.awaitCalls("ReportMetrics", 2, LIMIT);
            simulator.kill();
            long outageStart = System.currentTimeMillis();
            Path buffer = node.dataFile("manager/buffer");
            try (AutoCloseableChannel grpc = new AutoCloseableChannel(channel(node))) {
                operate(grpc.channel, "a1", "stop");
                NodeProcess.await(LIMIT, () -> files(buffer) >= 4, () -> "buffer " + files(buffer));
                operate(grpc.channel, "a1", "start");
            }
            NodeProcess.await(LIMIT, () -> files(buffer) >= 6, () -> "buffer " + files(buffer));
            long outageEnd = System.currentTimeMillis();
            simulator.restartOnSamePort(); // an empty record: everything below arrived after the outage
            // back within reconnect_max (2 s, at most 1.5 times that with jitter) and a margin, not after the
            // channel's own reconnect backoff, which grows to 2 minutes
            simulator.awaitCalls("RegisterNode", 1, Duration.ofSeconds(8));
            NodeProcess.await(LIMIT, () -> files(buffer) == 0, () -> "buffer not drained: " + files(buffer));

            List<JsonNode> reports = simulator.calls("ReportMetrics");
            List<Long> cpuTimes = new ArrayList<>();
            for (JsonNode r : reports) {
                for (JsonNode m : r.get("request").path("metrics")) {
                    if (m.get("type").asText().equals("cpu")) {
                        cpuTimes.add(m.get("timestamp").asLong());
                    }
                }
            }
            List<Long> sorted = new ArrayList<>(cpuTimes);
            Collections.sort(sorted);
            assertEquals(sorted, cpuTimes, "reports arrive in the order they were made");
            long covered = cpuTimes.stream().filter(t -> t >= outageStart / 1000 && t <= outageEnd / 1000).count();
            long outageSeconds = (outageEnd - outageStart) / 1000;
            assertTrue(covered >= outageSeconds - 2, covered + " cpu reports from a " + outageSeconds
                + " s outage reached the Manager: " + cpuTimes);
            // the states in order: stopped then running, so the Manager ends with running
            awaitState(simulator, "a1", "running", 0);
            assertEquals("running", simulator.states().findValues("status").stream()
                .map(JsonNode::asText).reduce((a, b) -> b).orElse(""), simulator.states().toString());

            // kill -9 of the node while the Manager is away: the buffer survives and is sent after the restart
            simulator.kill();
            NodeProcess.await(LIMIT, () -> files(buffer) >= 3, () -> "buffer " + files(buffer));
            node.process().destroyForcibly();
            assertTrue(node.process().waitFor(30, TimeUnit.SECONDS));
            long killedAt = System.currentTimeMillis() / 1000;
            List<Long> waiting = reportTimes(buffer);
            assertFalse(waiting.isEmpty(), "reports waited on disk when the node died");
            simulator.restartOnSamePort();
            node.start();
            node.awaitReady();
            NodeProcess.await(LIMIT, () -> {
                try {
                    List<Long> got = new ArrayList<>();
                    for (JsonNode r : simulator.calls("ReportMetrics")) {
                        for (JsonNode m : r.get("request").path("metrics")) {
                            got.add(m.get("timestamp").asLong());
                        }
                    }
                    return got.containsAll(waiting);
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "reports buffered before the kill (" + waiting + ") never arrived");
            assertTrue(waiting.stream().allMatch(t -> t <= killedAt));
        }
    }

    private static long files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().endsWith(".tmp")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The metric timestamps of the reports waiting in the buffer, read from the raw protobuf files. */
    private static List<Long> reportTimes(Path dir) throws IOException {
        List<Long> times = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".report")).sorted().toList()) {
                io.opsd.grpc.manager.ReportMetricsRequest r =
                    io.opsd.grpc.manager.ReportMetricsRequest.parseFrom(Files.readAllBytes(p));
                r.getMetricsList().forEach(m -> times.add(m.getTimestamp()));
            }
        }
        return times;
    }

    @Test
    void aStalledManagerSlowsNeitherHeartbeatsNorAgentControlNorGrpc() throws Exception {
        try (ManagerSimulatorProcess simulator = ManagerSimulatorProcess.start();
             NodeProcess node = node("stall", simulator, "heartbeat_interval = 1s\nreport_interval = 1s\n"
                 + "sync_interval = 1s\nsync_debounce = 0s\ntimeout = 30s\n", "")) {
            node.start();
            node.awaitReady();
            simulator.awaitCalls("RegisterNode", 1, LIMIT);
            simulator.mode("*", "stall");
            long since = simulator.calls(null).size();
            simulator.awaitCalls(null, (int) since + 3, LIMIT); // calls now hang on the Manager's side
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try (AutoCloseableChannel grpc = new AutoCloseableChannel(channel(node))) {
                long worst = 0;
                for (int i = 0; i < 20; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> hb = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.httpPort + "/heartbeat")).timeout(Duration.ofSeconds(5)).POST(HttpRequest
                        .BodyPublishers.ofString("{\"agent_id\":\"a1\",\"pid\":1}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, hb.statusCode(), hb.body());
                    assertEquals(1, DaemonServiceGrpc.newBlockingStub(grpc.channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS).listAgents(ListAgentsRequest.getDefaultInstance())
                        .getAgentsCount());
                    worst = Math.max(worst, System.nanoTime() - t0);
                }
                assertTrue(worst < Duration.ofSeconds(1).toNanos(), "worst heartbeat + ListAgents: "
                    + worst / 1_000_000 + " ms while the Manager stalls");
                long t0 = System.nanoTime();
                operate(grpc.channel, "a1", "restart");
                assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "a restart is not held up");
            }
            assertEquals(200, node.status("/ready"));
        }
    }

    @Test
    void overTlsTheLinkWorksAndABrokenTlsConfigurationNeverFallsBackToPlaintext() throws Exception {
        Path pki = Files.createDirectories(Path.of(System.getProperty("opsd.e2e.dir", "target/e2e")))
            .resolve("link-pki-" + System.nanoTime());
        TestPki tool = new TestPki(pki);
        tool.authority("ca", "opsd e2e Manager CA");
        tool.authority("nodes-ca", "opsd e2e node CA");
        tool.leaf("manager", "/CN=localhost/O=opsd e2e manager", "ca", 11, TestPki.SERVER);
        tool.leaf("node", "/CN=opsd e2e node", "nodes-ca", 12, TestPki.CLIENT);
        String clientTls = "tls.ca_file = " + tool.file("ca.pem") + "\ntls.cert_file = " + tool.file("node.pem")
            + "\ntls.key_file = " + tool.file("node.key") + "\n";

        // mutual TLS: the simulator demands a client certificate that nodes-ca signed
        try (ManagerSimulatorProcess simulator = ManagerSimulatorProcess.start("--tls-cert",
                tool.file("manager.pem").toString(), "--tls-key", tool.file("manager.key").toString(),
                "--client-ca", tool.file("nodes-ca.pem").toString());
             NodeProcess node = node("tls", simulator, "heartbeat_interval = 1s\n" + clientTls, "")) {
            node.start();
            node.awaitReady();
            simulator.awaitCalls("RegisterNode", 1, LIMIT);
            simulator.awaitCalls("Heartbeat", 2, LIMIT);
            assertTrue(node.log().contains("(mutual TLS)"), "the log says how the link is secured");
        }

        // TLS configured on the node, a plaintext Manager: the handshake fails, nothing is sent in the clear
        try (ManagerSimulatorProcess plain = ManagerSimulatorProcess.start();
             NodeProcess node = node("tls-plain", plain, "reconnect_max = 1s\n" + clientTls, "")) {
            node.start();
            node.awaitReady();
            NodeProcess.await(LIMIT, () -> count(node, "cannot register with") >= 3,
                () -> "no failed registration in the log");
            assertEquals(List.of(), plain.calls(null), "a plaintext Manager received nothing");
        }

        // a CA file that does not exist: the link refuses to start and says why
        try (ManagerSimulatorProcess simulator = ManagerSimulatorProcess.start();
             NodeProcess node = node("tls-broken", simulator, "tls.ca_file = " + pki.resolve("missing.pem") + "\n",
                 "")) {
            node.start();
            NodeProcess.await(LIMIT, () -> count(node, "Manager link not started") >= 1,
                () -> "no refusal in the log:\n" + node.output());
            // SCR reports the failed activation too: on one line, without a stack trace that would bury the reason
            NodeProcess.await(LIMIT, () -> count(node, "Manager link not started") >= 2,
                () -> "SCR did not report the refusal:\n" + node.output());
            String log = node.log();
            assertTrue(log.contains("tls.ca_file = \"" + pki.resolve("missing.pem") + "\" is not a readable file"), log);
            assertFalse(log.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")),
                "no stack trace beside the refusal:\n" + log);
            assertEquals(List.of(), simulator.calls(null), "nothing was sent");
        }
    }

    @Test
    void aTokenIsSentAndASyncTheManagerCouldNotStoreIsSentAgain() throws Exception {
        try (ManagerSimulatorProcess simulator = ManagerSimulatorProcess.start("--token", "s3cret");
             NodeProcess node = node("token", simulator, "token = s3cret\nheartbeat_interval = 1s\n"
                 + "sync_interval = 60s\nsync_debounce = 100ms\nreconnect_max = 1s\n", "")) {
            node.start();
            node.awaitReady();
            JsonNode registration = simulator.awaitCalls("RegisterNode", 1, LIMIT).get(0);
            assertTrue(registration.get("authorization").asBoolean(), registration.toString());
            assertTrue(registration.get("rejected").isNull(), registration.toString());
            assertFalse(node.log().contains("s3cret"), "the token is never logged");

            // the Manager answers success=false (its database failed): the same states are sent again
            simulator.mode("SyncAgentStates", "unsuccessful");
            long before = System.currentTimeMillis();
            try (AutoCloseableChannel grpc = new AutoCloseableChannel(channel(node))) {
                operate(grpc.channel, "a1", "stop");
            }
            // the oldest refused sync (the agent stopping, or stopped) is sent again, unchanged
            NodeProcess.await(LIMIT, () -> {
                try {
                    List<String> refused = simulator.calls("SyncAgentStates").stream()
                        .filter(c -> c.get("received_at_ms").asLong() >= before)
                        .map(c -> c.get("request").toString()).filter(r -> r.contains("\"a1\"")).toList();
                    return refused.size() > new java.util.HashSet<>(refused).size();
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "the refused sync was not sent again");
            simulator.mode("SyncAgentStates", "ok");
            NodeProcess.await(LIMIT, () -> {
                try {
                    return simulator.states().toString().contains("\"stopped\"");
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, () -> "the Manager never stored the stopped state");
        }
    }

    private static long count(NodeProcess node, String text) {
        try {
            return node.log().lines().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A channel for try-with-resources. */
    private static final class AutoCloseableChannel implements AutoCloseable {
        final ManagedChannel channel;

        AutoCloseableChannel(ManagedChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
