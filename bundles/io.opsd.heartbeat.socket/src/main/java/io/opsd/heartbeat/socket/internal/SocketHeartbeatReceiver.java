package io.opsd.heartbeat.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.config.ConfigCheck;
import io.opsd.api.health.Degradation;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.MetadataStore;

/**
 * The old daemon's heartbeat socket (contracts.md §4): newline-separated JSON objects, the agent found by its
 * {@code pid}, no answer written back. The socket is created with mode 0660 and only where the path is free or
 * holds a stale socket; a file of any other kind is left alone and the reason shows in {@code /ready}. The JDK
 * gives the peer's credentials only through {@code jdk.net}, which the OSGi runtime does not export, so the
 * peer is not checked: the socket's mode decides who may connect.
 */
@Component(configurationPid = "io.opsd.heartbeat.socket", immediate = true,
    property = Degradation.NAME + "=heartbeat.socket")
@Designate(ocd = SocketConfig.class)
public final class SocketHeartbeatReceiver implements Degradation {

    private static final Logger LOG = LoggerFactory.getLogger(SocketHeartbeatReceiver.class);
    private static final int MAX_LINE = 64 * 1024;
    private static final int SOCKET_TYPE = 0140000;
    private static final int TYPE_MASK = 0170000;

    private final MetadataStore store;
    private final AgentManager agents;
    private final JsonFactory json = JsonFactory.builder().build();
    private final AtomicInteger connections = new AtomicInteger();
    private final int maxConnections;
    private final Path path;
    private volatile String problem;
    private volatile ServerSocketChannel server;

    @Activate
    public SocketHeartbeatReceiver(@Reference(name = "store") MetadataStore store,
                                   @Reference(name = "agents") AgentManager agents, BundleContext context,
                                   SocketConfig config, Map<String, Object> props) {
        this.store = store;
        this.agents = agents;
        ConfigCheck check = ConfigCheck.of(props);
        String configured = config.path() == null ? "" : config.path().trim();
        if (!configured.isEmpty() && !Path.of(configured).isAbsolute()) {
            throw check.invalid("path", configured, "is not an absolute path");
        }
        int connections = check.integer("max_connections", config::max__connections);
        if (connections < 1 || connections > 1024) {
            throw check.invalid("max_connections", connections, "is out of range; use 1 to 1024");
        }
        this.maxConnections = connections;
        this.path = configured.isEmpty() ? RuntimePaths.dataDir(context).resolve("heartbeat.sock")
            : Path.of(configured).normalize();
        if (check.bool("enabled", config::enabled)) {
            open();
        }
    }

    @Deactivate
    void deactivate() {
        ServerSocketChannel s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("closing the heartbeat socket {}: {}", path, e.toString());
            }
        }
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void open() {
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & TYPE_MASK) != SOCKET_TYPE) {
                    refuse("the heartbeat socket " + path + " was not started: a file that is not a socket is there;"
                        + " move it away or set another path in io.opsd.heartbeat.socket");
                    return;
                }
                if (listening()) {
                    refuse("the heartbeat socket " + path + " was not started: another process listens on it");
                    return;
                }
                Files.delete(path); // a stale socket of an earlier run
            }
            Files.createDirectories(path.getParent());
            // bound under a temporary name, given its mode, then linked into place: the socket never appears at
            // the path with the umask's mode, and the link fails rather than replace a file created meanwhile
            Path fresh = path.resolveSibling("." + path.getFileName() + ".new");
            Files.deleteIfExists(fresh);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.bind(UnixDomainSocketAddress.of(fresh));
                Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-rw----"));
                Files.createLink(path, fresh);
            } catch (IOException e) {
                s.close();
                throw e;
            } finally {
                Files.deleteIfExists(fresh);
            }
            server = s;
            Thread acceptor = new Thread(() -> accept(s), "opsd-heartbeat-socket-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            LOG.info("legacy heartbeat socket listening on {} (mode 0660)", path);
        } catch (IOException e) {
            refuse("the heartbeat socket " + path + " was not started: " + e);
        }
    }

    private void refuse(String why) {
        problem = why;
        LOG.error("{}", why);
    }

    private boolean listening() {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void accept(ServerSocketChannel s) {
        AtomicInteger n = new AtomicInteger();
        while (s.isOpen()) {
            try {
                SocketChannel client = s.accept();
                if (connections.incrementAndGet() > maxConnections) {
                    connections.decrementAndGet();
                    client.close();
                    continue;
                }
                Thread reader = new Thread(() -> read(client), "opsd-heartbeat-socket-" + n.incrementAndGet());
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (s.isOpen()) {
                    LOG.warn("heartbeat socket {}: {}", path, e.toString());
                }
            }
        }
    }

    private void read(SocketChannel client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
            StandardCharsets.UTF_8), 8192)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.length() > MAX_LINE) {
                    LOG.warn("heartbeat socket: a line of {} characters was dropped", line.length());
                    continue;
                }
                if (!line.isBlank()) {
                    apply(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("heartbeat socket client: {}", e.toString());
        } finally {
            connections.decrementAndGet();
        }
    }

    private void apply(String line) {
        long pid = 0;
        Instant time = null;
        String status = "";
        double cpu = 0;
        long memory = 0;
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "pid" -> pid = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    case "timestamp" -> time = parse(p.getValueAsString());
                    case "status" -> status = p.getValueAsString("");
                    case "cpu" -> cpu = v.isNumeric() ? p.getDoubleValue() : 0;
                    case "memory" -> memory = v == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getLongValue()) : 0;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("heartbeat socket: not a heartbeat: {}", e.toString());
            return;
        }
        long wanted = pid;
        Optional<String> id = pid <= 0 ? Optional.empty() : agents.agents().stream()
            .filter(a -> a.pid() == wanted).map(AgentStatus::id).findFirst();
        if (id.isEmpty()) {
            return; // the old daemon ignored heartbeats of unknown pids too
        }
        Instant now = Instant.now();
        store.update(id.get(), AgentPatch.builder().heartbeat(time == null ? now : time, now, status)
            .reported(cpu, memory).build());
        agents.heartbeat(id.get(), now);
    }

    private static Instant parse(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
