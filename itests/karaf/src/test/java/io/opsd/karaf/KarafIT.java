package io.opsd.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.client.InstallBundleCall;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ListAgentsResponse;
import io.opsd.testing.Await;

/**
 * opsd on a real Apache Karaf 4.4.10 (the tar.gz from Maven Central, unpacked by the build): the features
 * repository of features/ is added, the {@code opsd} feature installed, and the node is driven over HTTP (Pax Web),
 * gRPC and Karaf's JMX (feature and config MBeans, what {@code feature:install} and {@code config:property-set}
 * call).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafIT {

    private static final Duration BOOT_LIMIT = Duration.ofSeconds(240);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = System.getProperty("opsd.version");

    private Path karaf;
    private Process process;
    private int httpPort;
    private int grpcPort;
    private int rmiRegistryPort;
    private int sshPort;
    private JMXConnector jmx;
    private KeyPair signer;
    private static final String ADMIN_TOKEN = "karaf-admin-token";
    /** The line agent k1 prints when it starts, which opsd:agent-log must show. */
    private static final String K1_SAYS = "k1-agent-started";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void boot() throws Exception {
        Path dist = Path.of(System.getProperty("opsd.karaf.dist"));
        karaf = Path.of(System.getProperty("opsd.karaf.work"));
        deleteTree(karaf);
        copyTree(dist, karaf);
        httpPort = freePort();
        grpcPort = freePort();
        rmiRegistryPort = freePort();
        Path etc = karaf.resolve("etc");
        sshPort = freePort();
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + sshPort);
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost = 0.0.0.0", "sshHost = 127.0.0.1");
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099",
            "rmiRegistryPort = " + rmiRegistryPort);
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort = 44444",
            "rmiServerPort = " + freePort());
        replace(etc.resolve("users.properties"), "#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup");
        replace(etc.resolve("users.properties"), "#_g_\\:admingroup", "_g_\\:admingroup");
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + httpPort
            + "\norg.ops4j.pax.web.listening.addresses = 127.0.0.1\n");
        // Karaf resolves from its own system/ folder and the repository this build staged, nothing else: no remote
        // repository, and an empty local one, so neither the network nor an earlier build's leftovers can hide a
        // missing artifact
        Path staged = Path.of(System.getProperty("opsd.karaf.repo"));
        assertTrue(Files.isDirectory(staged.resolve("io/opsd")), "no staged repository at " + staged);
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), String.join("\n",
            "org.ops4j.pax.url.mvn.useFallbackRepositories = false",
            "org.ops4j.pax.url.mvn.offline = true",
            "org.ops4j.pax.url.mvn.localRepository = " + karaf.resolve("m2-empty"),
            "org.ops4j.pax.url.mvn.defaultRepositories = ${karaf.home.uri}${karaf.default.repository}"
                + "@id=system.repository@snapshots, " + staged.toUri() + "@id=opsd.build@snapshots",
            "org.ops4j.pax.url.mvn.repositories = ",
            ""), StandardCharsets.UTF_8);
        // opsd's configuration in etc/, written before the feature brings its defaults (which never override)
        Files.writeString(etc.resolve("io.opsd.grpc.server.cfg"), "port = " + grpcPort + "\n");
        Files.writeString(etc.resolve("io.opsd.agent-k1.cfg"), "binary_path = /bin/sh\nargs = -c \"echo " + K1_SAYS
            + "; exec sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
        Files.writeString(etc.resolve("io.opsd.collector.cpu.cfg"), "interval = 1s\n");
        Files.writeString(etc.resolve("io.opsd.collector.memory.cfg"), "interval = 1s\n");
        signer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path trusted = karaf.resolve("opsd-admin.pub");
        Files.writeString(trusted, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(signer.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(etc.resolve("io.opsd.admin.cfg"), "admin_token = " + ADMIN_TOKEN + "\ntrusted_keys = "
            + trusted + "\n");

        process = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server")
            .directory(karaf.toFile()).redirectErrorStream(true)
            .redirectOutput(karaf.resolve("console.out").toFile()).start();
        await(BOOT_LIMIT, this::jmxUp, () -> "Karaf's JMX never answered; " + tail());
        // Karaf may still be installing its boot features (and refreshing bundles) when JMX first answers; an
        // artifact that cannot be resolved is final, and fails at once with its name
        await(BOOT_LIMIT, () -> tryInvoke("org.apache.karaf:type=feature,name=root", "addRepository",
            "mvn:io.opsd/opsd-features/" + VERSION + "/xml/features"), () -> "addRepository failed; " + tail());
        await(BOOT_LIMIT, () -> tryInvoke("org.apache.karaf:type=feature,name=root", "installFeature", "opsd"),
            () -> "installFeature opsd failed; " + tail());
        await(BOOT_LIMIT, () -> status("/ready") == 200, () -> "/ready never answered 200: " + body("/ready") + tail());
    }

    @AfterAll
    void shutdown() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
        if (process != null) {
            // bin/karaf is a script: its java child must get the SIGTERM too
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : all) {
                try {
                    p.onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    @Order(1)
    void theNodeIsReadyAndServesHeartbeatsMetricsAndGrpc() throws Exception {
        JsonNode ready = JSON.readTree(body("/ready"));
        assertTrue(ready.get("ready").asBoolean(), ready.toString());
        assertEquals(0, ready.get("not_ready").size(), ready.toString());
        await(LIMIT, () -> agentPid() > 0, () -> "agent k1 never ran; " + tail());

        HttpResponse<String> heartbeat = http.send(HttpRequest.newBuilder(url("/heartbeat"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\":\"k1\",\"pid\":7,\"status\":\"running\"}"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, heartbeat.statusCode(), heartbeat.body());
        assertEquals("heartbeat received", JSON.readTree(heartbeat.body()).get("message").asText());
        assertTrue(heartbeat.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

        await(LIMIT, () -> body("/metrics").contains("opsd_cpu_") && body("/metrics").contains("opsd_memory_"),
            () -> "/metrics lacks cpu or memory: " + body("/metrics"));
        assertEquals("k1", listAgents().getAgents(0).getId());
    }

    @Test
    @Order(2)
    void theOpsdCommandsRunInTheKarafConsole() throws Exception {
        // installing opsd makes Karaf refresh its shell (jline's optional JNA import): wait until it answers again
        String[] seen = {""};
        await(LIMIT, () -> {
            try {
                seen[0] = console("opsd:agents");
                return seen[0].contains("LAST HEARTBEAT");
            } catch (Exception e) {
                seen[0] = e.toString();
                return false;
            }
        }, () -> "opsd:agents never answered in the Karaf console: " + seen[0]);
        String agents = seen[0];
        assertTrue(agents.lines().anyMatch(l -> l.startsWith("ID ") && l.contains("STATE")), agents);
        assertTrue(agents.lines().anyMatch(l -> l.startsWith("k1 ") && l.contains("running")), agents);
        String collectors = console("opsd:collectors");
        assertTrue(collectors.contains("cpu") && collectors.contains("memory"), collectors);
        String metrics = console("opsd:metrics cpu");
        assertTrue(metrics.contains("usage_percent"), metrics);
        // the agent's log, where the agent bundle writes it (${karaf.log}/opsd/agents/k1/agent.log)
        String log = console("opsd:agent-log k1");
        assertTrue(log.lines().anyMatch(l -> l.strip().equals(K1_SAYS)), log);
        // a failure's line reaches bin/client (a command's System.err does not)
        String failed = console("opsd:agent-log no-such-agent");
        assertTrue(failed.contains("opsd: no agent \"no-such-agent\""), failed);
    }

    /** One command through Karaf's own client over ssh (batch mode: the command comes on standard input). */
    private String console(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(karaf.resolve("bin/client").toString(), "-a",
            Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "5", "-b")
            .directory(karaf.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        client.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(client.waitFor(60, TimeUnit.SECONDS), "bin/client did not finish: " + output);
        return output;
    }

    @Test
    @Order(3)
    void featuresInstalledAndUninstalledWithoutNoRefreshLeaveTheAgentsAlone() throws Exception {
        assertFalse(body("/metrics").contains("opsd_filehandles_"), "the example is not part of opsd");
        long agent = agentPid();
        assertTrue(agent > 0, "agent k1 runs");
        // no -r: opsd's install wired Karaf's jline to JNA and JSR-305 once (the prerequisite opsd-jline-imports),
        // so a later feature operation has nothing to rewire: no refresh of jline, the shell, SCR and every opsd
        // bundle (which would restart the agents). -v prints what Karaf refreshes, if anything.
        String installed = console("feature:install -v wrapper");
        assertFalse(installed.contains("which is being refreshed"), installed);
        String uninstalled = console("feature:uninstall -v wrapper");
        assertFalse(uninstalled.contains("which is being refreshed"), uninstalled);
        // and a collector feature, through the feature MBean as feature:install without -r
        invoke("org.apache.karaf:type=feature,name=root", "installFeature", "opsd-example-filehandles");
        await(LIMIT, () -> body("/metrics").contains("opsd_filehandles_"), () -> "no filehandles metrics: "
            + body("/metrics"));
        invoke("org.apache.karaf:type=feature,name=root", "uninstallFeature", "opsd-example-filehandles");
        await(LIMIT, () -> !body("/metrics").contains("opsd_filehandles_"), () -> "filehandles still published");
        double before = cpuCollections();
        await(LIMIT, () -> cpuCollections() > before, () -> "the cpu collector stopped publishing: " + body("/metrics"));
        assertEquals(agent, agentPid(), () -> "the agent was not touched; " + tail());
        assertEquals(200, status("/ready"));
    }

    @Test
    @Order(4)
    void aPropertySetThroughTheConfigMBeanTakesEffect() throws Exception {
        long agent = agentPid();
        int newPort = freePort();
        // what config:property-set does: the gRPC server moves to another port
        invoke("org.apache.karaf:type=config,name=root", "setProperty", "io.opsd.grpc.server", "port",
            Integer.toString(newPort));
        int old = grpcPort;
        grpcPort = newPort;
        await(LIMIT, () -> {
            try {
                return listAgents().getAgentsCount() == 1;
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> "ListAgents never answered on the new port " + newPort);
        assertFalse(listens(old), "the old port is closed");
        assertEquals(agent, agentPid(), "the agent was not touched");
    }

    @Test
    @Order(5)
    void aSignedBundleInstalledThroughNodeAdminRunsItsComponents() throws Exception {
        assertFalse(body("/metrics").contains("opsd_filehandles_"), "the example is not installed yet");
        long agent = agentPid();
        byte[] jar = Files.readAllBytes(Path.of(System.getProperty("opsd.example.filehandles")));
        Signature sign = Signature.getInstance("Ed25519");
        sign.initSign(signer.getPrivate());
        sign.update(jar);
        InstallBundleHeader header = InstallBundleCall.header("io.opsd.example.filehandles.jar", jar, sign.sign())
            .build();
        Metadata token = new Metadata();
        token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ADMIN_TOKEN);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            InstallBundleResponse installed = InstallBundleCall.send(NodeAdminGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS), header, jar).await(Duration.ofSeconds(65));
            assertEquals("io.opsd.example.filehandles", installed.getBundle().getSymbolicName());
            assertEquals("ACTIVE", installed.getBundle().getState());
            assertEquals("admin", installed.getBundle().getOrigin());
            assertFalse(installed.getBundle().getComponentsList().isEmpty(), installed.toString());
            assertTrue(installed.getBundle().getComponentsList().stream()
                .allMatch(c -> c.getState().equals("ACTIVE") || c.getState().equals("SATISFIED")), installed.toString());
        } finally {
            channel.shutdownNow();
        }
        await(LIMIT, () -> body("/metrics").contains("opsd_filehandles_"), () -> "no filehandles metrics: "
            + body("/metrics"));
        String bundles = console("opsd:bundles");
        assertTrue(bundles.lines().anyMatch(l -> l.contains("io.opsd.example.filehandles") && l.contains(" admin ")),
            bundles);
        assertEquals(agent, agentPid(), "the agent was not touched");
        assertEquals(200, status("/ready"));
    }

    private ListAgentsResponse listAgents() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .listAgents(ListAgentsRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
    }

    private long agentPid() {
        try {
            return listAgents().getAgentsList().stream().filter(a -> a.getId().equals("k1"))
                .filter(a -> a.getStatus().equals("running")).mapToLong(a -> a.getPid()).findFirst().orElse(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private double cpuCollections() {
        return body("/metrics").lines().filter(l -> l.startsWith("opsd_collector_collections_total{collector=\"cpu\"}"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    // ---- JMX, as feature:install and config:property-set use it

    private boolean jmxUp() {
        if (!process.isAlive()) {
            throw new AssertionError("Karaf exited with " + process.exitValue() + "; " + tail());
        }
        try {
            Map<String, Object> env = new HashMap<>();
            env.put(JMXConnector.CREDENTIALS, new String[] {"karaf", "karaf"});
            jmx = JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:"
                + rmiRegistryPort + "/karaf-root"), env);
            return jmx.getMBeanServerConnection().isRegistered(new ObjectName("org.apache.karaf:type=feature,name=root"));
        } catch (IOException | javax.management.MalformedObjectNameException | SecurityException e) {
            return false;
        }
    }

    private Exception lastFailure;

    private boolean tryInvoke(String mbean, String operation, String... args) {
        try {
            invoke(mbean, operation, args);
            return true;
        } catch (Exception e) {
            String missing = unresolvable(e);
            if (missing != null) {
                throw new AssertionError(operation + " " + String.join(" ", args) + ": Karaf cannot resolve "
                    + missing + " from system/ or the staged repository " + System.getProperty("opsd.karaf.repo"), e);
            }
            try {
                jmx.close();
            } catch (IOException ignored) {
                // reconnected below
            }
            return jmxUp() && false;
        }
    }

    /**
     * The artifact that pax-url names in "Error resolving artifact X", or the requirement the features resolver
     * cannot meet, in the failure or in karaf.log; null if neither. Offline, with every repository local, both are
     * final.
     */
    private String unresolvable(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        try {
            Path log = karaf.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                text.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the failure's own text is still searched
        }
        String marker = "Error resolving artifact ";
        int at = text.indexOf(marker);
        if (at >= 0) {
            return text.substring(at + marker.length()).split("\\s", 2)[0].replaceAll("[:,.]+$", "");
        }
        // the features resolver's own verdict: a requirement nothing staged provides
        at = text.indexOf("Unable to resolve root: missing requirement");
        return at < 0 ? null : text.substring(at).lines().findFirst().orElse("");
    }

    private void invoke(String mbean, String operation, String... args) throws Exception {
        MBeanServerConnection c = jmx.getMBeanServerConnection();
        String[] signature = new String[args.length];
        java.util.Arrays.fill(signature, String.class.getName());
        c.invoke(new ObjectName(mbean), operation, args, signature);
    }

    // ---- HTTP

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String body(String path) {
        try {
            return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // ---- plumbing

    private String tail() {
        try {
            List<String> lines = new ArrayList<>();
            Path log = karaf.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                lines.addAll(all.subList(Math.max(0, all.size() - 40), all.size()));
            }
            return "karaf.log:\n" + String.join("\n", lines) + "\nconsole:\n"
                + Files.readString(karaf.resolve("console.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean listens(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), file + " does not contain " + from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    /** Each check is a JMX or HTTP call into Karaf: a slower poll than the usual 20 ms. */
    private static void await(Duration limit, BooleanSupplier done, Supplier<String> seen) {
        Await.until(limit, Duration.ofMillis(250), done, seen);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
