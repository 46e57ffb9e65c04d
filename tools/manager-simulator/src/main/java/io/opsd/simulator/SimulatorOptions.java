package io.opsd.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The command line of the simulator, parsed and checked. Optional values are {@code null} when not given. */
public record SimulatorOptions(
    String bind,
    int port,
    int controlPort,
    Path tlsCert,
    Path tlsKey,
    Path clientCa,
    String token,
    String nodeToken,
    Path nodeCa,
    Path portsFile) {

    public static final int DEFAULT_PORT = 9090;
    public static final String DEFAULT_BIND = "127.0.0.1";

    private static final Set<String> FLAGS = Set.of("--port", "--bind", "--control-port", "--ports-file", "--tls-cert",
        "--tls-key", "--client-ca", "--token", "--node-token", "--node-ca");

    public static final String USAGE = String.join("\n",
        "usage: java -jar opsd-manager-simulator.jar [options]",
        "",
        "Plays the central Manager: serves manager.ManagerService and proto.DaemonService/SyncAgentStates,",
        "records every call, and offers a control HTTP endpoint on loopback (see docs/manager-simulator.md).",
        "",
        "  --port N            gRPC port (default 9090; 0 = any free port)",
        "  --bind ADDR         gRPC bind address (default 127.0.0.1)",
        "  --control-port N    control HTTP port on 127.0.0.1 (default 0 = any free port)",
        "  --ports-file FILE   also write the ports line to FILE",
        "  --tls-cert FILE     serve gRPC over TLS with this PEM certificate (chain)",
        "  --tls-key FILE      ... and this PEM PKCS#8 private key",
        "  --client-ca FILE    require client certificates signed by this PEM CA (needs --tls-cert)",
        "  --token T           require 'authorization: Bearer T' on every gRPC call",
        "  --node-token T      send 'authorization: Bearer T' on callbacks to nodes",
        "  --node-ca FILE      dial nodes over TLS, trusting this PEM CA (default: plaintext)",
        "  --help              print this text");

    /** The defaults: plaintext on 127.0.0.1:9090, control port chosen by the system. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(DEFAULT_BIND, DEFAULT_PORT, 0, null, null, null, null, null, null, null);
    }

    /** Empty when {@code --help} was asked for; a bad flag or value throws with a message naming it. */
    public static Optional<SimulatorOptions> parse(String... args) {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return Optional.empty();
            }
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException("unknown option " + flag + "; see --help");
            }
            String value = valueOf(args, i++, flag);
            switch (flag) {
                case "--port" -> b.port = port(flag, value);
                case "--bind" -> b.bind = nonEmpty(flag, value);
                case "--control-port" -> b.controlPort = port(flag, value);
                case "--ports-file" -> b.portsFile = Path.of(value);
                case "--tls-cert" -> b.tlsCert = readable(flag, value);
                case "--tls-key" -> b.tlsKey = readable(flag, value);
                case "--client-ca" -> b.clientCa = readable(flag, value);
                case "--token" -> b.token = nonEmpty(flag, value);
                case "--node-token" -> b.nodeToken = nonEmpty(flag, value);
                case "--node-ca" -> b.nodeCa = readable(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag + "; see --help");
            }
        }
        SimulatorOptions options = b.build();
        options.validate();
        return Optional.of(options);
    }

    private static final class Builder {
        String bind = DEFAULT_BIND;
        int port = DEFAULT_PORT;
        int controlPort;
        Path tlsCert;
        Path tlsKey;
        Path clientCa;
        String token;
        String nodeToken;
        Path nodeCa;
        Path portsFile;

        SimulatorOptions build() {
            return new SimulatorOptions(bind, port, controlPort, tlsCert, tlsKey, clientCa, token, nodeToken, nodeCa,
                portsFile);
        }
    }

    public SimulatorOptions withPort(int grpcPort) {
        return new SimulatorOptions(bind, grpcPort, controlPort, tlsCert, tlsKey, clientCa, token, nodeToken, nodeCa,
            portsFile);
    }

    public SimulatorOptions withControlPort(int port) {
        return new SimulatorOptions(bind, this.port, port, tlsCert, tlsKey, clientCa, token, nodeToken, nodeCa,
            portsFile);
    }

    public SimulatorOptions withToken(String bearerToken) {
        return new SimulatorOptions(bind, port, controlPort, tlsCert, tlsKey, clientCa, bearerToken, nodeToken, nodeCa,
            portsFile);
    }

    public SimulatorOptions withNodeToken(String bearerToken) {
        return new SimulatorOptions(bind, port, controlPort, tlsCert, tlsKey, clientCa, token, bearerToken, nodeCa,
            portsFile);
    }

    public SimulatorOptions withTls(Path cert, Path key, Path clientCaFile) {
        return new SimulatorOptions(bind, port, controlPort, cert, key, clientCaFile, token, nodeToken, nodeCa,
            portsFile);
    }

    public SimulatorOptions withNodeCa(Path ca) {
        return new SimulatorOptions(bind, port, controlPort, tlsCert, tlsKey, clientCa, token, nodeToken, ca,
            portsFile);
    }

    public boolean tls() {
        return tlsCert != null;
    }

    void validate() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together; give both or neither");
        }
        if (clientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("--client-ca needs TLS; give --tls-cert and --tls-key too");
        }
    }

    private static String valueOf(String[] args, int i, String flag) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value; see --help");
        }
        return args[i + 1];
    }

    private static int port(String flag, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " " + value + " is not a port; give 0-65535");
    }

    private static Path readable(String flag, String value) {
        Path file = Path.of(value);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + value + ": no such readable file");
        }
        return file;
    }

    private static String nonEmpty(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return value;
    }

    @Override
    public String toString() {
        // tokens stay out of logs
        return "SimulatorOptions[bind=" + bind + ", port=" + port + ", controlPort=" + controlPort + ", tls=" + tls()
            + ", clientCa=" + clientCa + ", token=" + (token == null ? "none" : "<redacted>") + ", nodeToken="
            + (nodeToken == null ? "none" : "<redacted>") + ", nodeCa=" + nodeCa + ", portsFile=" + portsFile + "]";
    }
}
