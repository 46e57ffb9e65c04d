package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.store.MetadataStore;
import io.opsd.testing.Await;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HeartbeatSocketIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin cm;

    @InjectService(timeout = 10_000)
    AgentManager agents;

    @InjectService(timeout = 10_000)
    MetadataStore store;

    @Test
    void heartbeatsOnTheLegacySocketReachTheStoreAndARegularFileIsNeverReplaced() throws Exception {
        Configuration socketConfig = cm.getConfiguration("io.opsd.heartbeat.socket", "?");
        Dictionary<String, Object> original = socketConfig.getProperties();
        Path dir = Files.createTempDirectory("opsd-it-socket");
        Path socket = dir.resolve("hb.sock");
        NodeHome home = new NodeHome(context);
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-socket", "sleep 1000", Map.of());
            long pid = a.await("it-socket", AgentState.RUNNING).pid();
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("enabled", true);
            props.put("path", socket.toString());
            socketConfig.update(props);
            Await.until(LIMIT, () -> Files.exists(socket), () -> "no socket at " + socket);
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            long received = stat(home, "total_received");
            long processed = stat(home, "total_processed");
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                String line = "{\"pid\":" + pid + ",\"timestamp\":\"2026-11-23T10:00:00Z\",\"version\":\"1.0\","
                    + "\"status\":\"running\",\"cpu\":2.5,\"memory\":123456}\n";
                client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                Await.until(LIMIT, () -> store.get("it-socket").map(r -> r.reportedMemory())
                    .orElse(OptionalLong.empty()).equals(OptionalLong.of(123456)), () -> "not in the store");
            }
            assertEquals("2026-11-23T10:00:00Z", store.get("it-socket").orElseThrow().lastHeartbeat().orElseThrow()
                .toString());
            // the socket feeds the same receiver as POST /heartbeat: it is counted in its stats
            Await.until(LIMIT, () -> stat(home, "total_processed") == processed + 1,
                () -> "processed " + stat(home, "total_processed") + ", before " + processed);
            assertEquals(received + 1, stat(home, "total_received"));

            Path plain = dir.resolve("plain");
            Files.writeString(plain, "an operator's file");
            props.put("path", plain.toString());
            socketConfig.update(props);
            Await.until(LIMIT, () -> body(home).contains("a file that is not a socket is there"),
                () -> "/ready says " + body(home));
            assertEquals(200, home.get("/ready").status(), "degraded, not unready");
            assertEquals("an operator's file", Files.readString(plain), "the file is left untouched");
            assertTrue(Files.notExists(socket), "the previous socket was removed when it closed");
        } finally {
            socketConfig.update(original);
        }
        Await.until(LIMIT, () -> !body(home).contains("heartbeat socket"), () -> "/ready says " + body(home));
    }

    private static long stat(NodeHome home, String name) {
        try {
            Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(home.get("/heartbeat/stats").body());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static String body(NodeHome home) {
        try {
            return home.get("/ready").body();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
