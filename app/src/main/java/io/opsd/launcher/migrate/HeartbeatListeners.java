package io.opsd.launcher.migrate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where agents sent heartbeats to the old daemon: its HTTP port on every interface (contracts.md §3, off unless
 * {@code daemon.http_port} was set) and its Unix socket (§4). A converted node listens where the old daemon did.
 */
final class HeartbeatListeners {

    private record SocketPath(String path, String yamlPath) {
    }

    private final Conversion c;
    private Optional<SocketPath> daemonSocket = Optional.empty();
    private final Map<String, SocketPath> agentSockets = new LinkedHashMap<>();

    HeartbeatListeners(Conversion c) {
        this.c = c;
    }

    /** {@code daemon.http_port}: 0 or none was the old daemon's "off". */
    void http(YamlMap.Entry e) {
        if (e.value() == null || "0".equals(String.valueOf(e.value()).trim())) {
            return; // opsd always serves /health and /ready, on its loopback default
        }
        c.values().integer(e, 1, 65535).ifPresent(port -> {
            CfgFile f = c.file("org.apache.felix.http", "the node's HTTP server (heartbeats, /metrics, /health,"
                + " /ready)");
            f.set("org.apache.felix.http.host", "0.0.0.0", "Every interface, as the old daemon listened: anyone who can"
                + " reach this port can send heartbeats for any\nagent (contracts.md §6 row 2) and read /metrics. To"
                + " close it: set token in io.opsd.heartbeat.cfg and give it to\nthe agents, or, when every agent"
                + " runs on this machine, write 127.0.0.1 (opsd's default) here.");
            f.set("org.osgi.service.http.port", port);
            f.set("org.apache.felix.https.enable", "false");
            f.set("org.apache.felix.http.timeout", "15000", "As in the shipped file: an idle or stalled connection is"
                + " dropped after 15 s (Felix's default is 60 s).");
            f.keptAsOld("heartbeats are received on every interface, port " + port + ", without a token");
            c.warnings().warn(e.path(), "= " + port + " is carried over listening on every interface"
                + " (org.apache.felix.http.host = 0.0.0.0), as the old daemon did: anyone who can reach it can send"
                + " heartbeats for any agent; set a token in io.opsd.heartbeat.cfg, or 127.0.0.1 if every agent is"
                + " local");
        });
    }

    /** The socket the old daemon listened on ({@code agent.socket_path}, or {@code daemon.socket_path}). */
    void daemonSocket(YamlMap.Entry e) {
        c.values().text(e).filter(p -> absolute(p, e.path())).ifPresent(p -> {
            if (daemonSocket.isEmpty()) {
                daemonSocket = Optional.of(new SocketPath(p, e.path()));
            } else if (!daemonSocket.get().path().equals(p)) {
                c.warnings().warn(e.path(), "= " + p + " is not carried over: opsd has one heartbeat socket, at "
                    + daemonSocket.get().path() + " (" + daemonSocket.get().yamlPath() + ")");
            }
        });
    }

    /** An agent entry's {@code socket_path}. */
    void agentSocket(String id, String path, String yamlPath) {
        if (absolute(path, yamlPath)) {
            agentSockets.put(id, new SocketPath(path, yamlPath));
        }
    }

    /** Writes io.opsd.heartbeat.socket.cfg once every socket path is known. */
    void writeSocket() {
        Optional<SocketPath> chosen = daemonSocket.or(() -> agentSockets.values().stream().findFirst());
        if (chosen.isEmpty()) {
            return;
        }
        String path = chosen.get().path();
        CfgFile f = c.file("io.opsd.heartbeat.socket", "the old daemon's heartbeat socket");
        f.set("enabled", "true", "Agents that send heartbeats over the old daemon's Unix socket keep doing so.");
        f.set("path", path, "From " + chosen.get().yamlPath() + ". The socket's mode is 0660 (the old daemon's came"
            + " from its umask), and opsd never\nreplaces a file of another kind at this path (the old daemon deleted"
            + " whatever was there).");
        f.keptAsOld("heartbeats are received on the Unix socket " + path);
        agentSockets.forEach((id, s) -> {
            if (!s.path().equals(path)) {
                c.warnings().warn(s.yamlPath(), "= " + s.path() + " is not served: opsd has one heartbeat socket, at "
                    + path + "; point agent " + id + " at it (heartbeats are matched by pid, whatever the socket)");
            } else if (s == chosen.get()) {
                c.warnings().warn(s.yamlPath(), "turns on the heartbeat socket at " + path + " (io.opsd.heartbeat"
                    + ".socket.cfg): the old daemon ignored an agent's socket_path, opsd listens there");
            }
        });
    }

    private boolean absolute(String path, String yamlPath) {
        if (path.startsWith("/")) {
            return true;
        }
        c.warnings().warn(yamlPath, "= " + path + " is not an absolute path; not carried over");
        return false;
    }
}
