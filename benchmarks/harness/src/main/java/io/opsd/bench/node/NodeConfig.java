package io.opsd.bench.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A benchmark node's runtime-config/: a copy of the shipped one, its HTTP and gRPC ports moved to free ones. */
public record NodeConfig(Path dir, int httpPort, int grpcPort) {

    /** Copies {@code shipped} into {@code home}/runtime-config and gives the node free loopback ports. */
    public static NodeConfig copy(Path shipped, Path home) throws IOException {
        Path dir = Files.createDirectories(home.resolve("runtime-config"));
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        NodeConfig config = new NodeConfig(dir, freePort(), freePort());
        config.replace("org.apache.felix.http.cfg", "(?m)^org\\.osgi\\.service\\.http\\.port\\s*=.*$",
            "org.osgi.service.http.port = " + config.httpPort);
        config.replace("io.opsd.grpc.server.cfg", "(?m)^#port\\s*=.*$", "port = " + config.grpcPort);
        return config;
    }

    /** Replaces the lines of {@code file} that match {@code regex}; fails when none does (the file has changed). */
    public void replace(String file, String regex, String line) throws IOException {
        Path path = dir.resolve(file);
        String text = Files.readString(path);
        String changed = text.replaceAll(regex, line);
        if (changed.equals(text)) {
            throw new IllegalStateException(path + ": no line matches " + regex + "; has the shipped file changed?");
        }
        Files.writeString(path, changed);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
