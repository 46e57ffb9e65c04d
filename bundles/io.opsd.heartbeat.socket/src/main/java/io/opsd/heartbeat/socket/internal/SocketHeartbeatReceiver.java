package io.opsd.heartbeat.socket.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.config.ConfigCheck;
import io.opsd.api.health.Degradation;
import io.opsd.api.runtime.RuntimePaths;
import io.opsd.heartbeat.HeartbeatIntake;

/**
 * The old daemon's heartbeat socket (contracts.md §4): newline-separated JSON objects, the agent found by its
 * {@code pid}, no answer written back. Each line goes to the heartbeat receiver's {@link HeartbeatIntake}, so it is
 * decoded, validated, queued and counted in {@code /heartbeat/stats} as {@code POST /heartbeat} is. Each client is
 * read on a thread of a pool bounded by {@code max_connections}; a client beyond it is closed at once. The socket
 * is created with mode 0660 and only where the path is free or holds a stale socket; a file of any other kind is
 * left alone and the reason shows in {@code /ready}. The JDK gives the peer's credentials only through
 * {@code jdk.net}, which the OSGi runtime does not export, so the peer is not checked: the socket's mode decides who
 * may connect.
 */
@Component(configurationPid = "io.opsd.heartbeat.socket", immediate = true,
    property = Degradation.NAME + "=heartbeat.socket")
@Designate(ocd = SocketConfig.class)
public final class SocketHeartbeatReceiver implements Degradation {

    private static final Logger LOG = LoggerFactory.getLogger(SocketHeartbeatReceiver.class);
    private static final int MAX_LINE = 64 * 1024;
    private static final long IDLE_SECONDS = 60;
    private static final int SOCKET_TYPE = 0140000;
    private static final int TYPE_MASK = 0170000;

    private final HeartbeatIntake intake;
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor(
        DaemonThreads.named("opsd-heartbeat-socket-accept"));
    private final ThreadPoolExecutor readers;
    private final Path path;
    private volatile String problem;
    private volatile ServerSocketChannel server;
    private volatile boolean full;

    @Activate
    public SocketHeartbeatReceiver(@Reference(name = "intake") HeartbeatIntake intake, BundleContext context,
                                   SocketConfig config, Map<String, Object> props) {
        this.intake = intake;
        ConfigCheck check = ConfigCheck.of(props);
        String configured = config.path() == null ? "" : config.path().trim();
        if (!configured.isEmpty() && !Path.of(configured).isAbsolute()) {
            throw check.invalid("path", configured, "is not an absolute path");
        }
        int connections = check.integer("max_connections", config::max__connections);
        if (connections < 1 || connections > 1024) {
            throw check.invalid("max_connections", connections, "is out of range; use 1 to 1024");
        }
        this.readers = new ThreadPoolExecutor(0, connections, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
            DaemonThreads.numbered("opsd-heartbeat-socket"));
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
        acceptor.shutdownNow();
        readers.shutdownNow(); // an interrupted read closes its client's channel
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
            acceptor.execute(() -> accept(s));
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
        while (s.isOpen()) {
            try {
                SocketChannel client = s.accept();
                try {
                    readers.execute(() -> read(client));
                } catch (RejectedExecutionException e) {
                    LOG.debug("heartbeat socket {}: {} clients are connected, one more was closed", path,
                        readers.getMaximumPoolSize());
                    client.close();
                }
            } catch (IOException e) {
                if (s.isOpen()) {
                    LOG.warn("heartbeat socket {}: {}", path, e.toString());
                }
            }
        }
    }

    private void read(SocketChannel client) {
        try (client) {
            HeartbeatLines lines = new HeartbeatLines(Channels.newInputStream(client), MAX_LINE,
                length -> LOG.warn("heartbeat socket: a line of {} bytes was dropped", length));
            for (byte[] line; (line = lines.next()) != null; ) {
                offer(line);
            }
        } catch (IOException e) {
            LOG.debug("heartbeat socket client: {}", e.toString());
        }
    }

    /** No answer goes back on the socket: what was not queued is logged, a full queue when it starts and ends. */
    private void offer(byte[] line) {
        HeartbeatIntake.Result result = intake.offerByPid(line, Instant.now());
        boolean nowFull = result.outcome() == HeartbeatIntake.Outcome.FULL;
        if (nowFull != full) {
            full = nowFull;
            if (nowFull) {
                LOG.warn("heartbeat socket: {}; socket heartbeats are dropped until the queue has room",
                    result.message());
            } else {
                LOG.info("heartbeat socket: the heartbeat queue has room again");
            }
        }
        if (result.outcome() != HeartbeatIntake.Outcome.QUEUED && !nowFull) {
            LOG.debug("heartbeat socket: {}", result.message()); // the old daemon ignored what it could not use too
        }
    }
}
