package io.opsd.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code java [JVM options] -jar opsd.jar cds [--home DIR] [--archive FILE]}: writes a class data archive (AppCDS)
 * of everything a node loads up to ready, so that a node started with {@code -XX:SharedArchiveFile=FILE} maps those
 * classes instead of loading, parsing and verifying them (the bundles' classes too: the JVM takes an archived class
 * for a bundle's class loader when the bytes are the same). It runs a training node in a child JVM with the same
 * JVM options, on a home of its own under the data directory (free loopback ports, one sleeping agent, a Manager
 * address nobody listens on), asks it what an operator and the Manager ask, stops it, and keeps the archive the JVM
 * wrote at exit. The archive is tied to this opsd.jar and this JVM: after either changes, the JVM ignores it with a
 * warning until it is written again.
 */
final class CdsArchive {

    static final String FILE_NAME = "opsd.jsa";
    private static final Duration READY_LIMIT = Duration.ofSeconds(120);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private CdsArchive() {
    }

    static Path defaultArchive(Layout layout) {
        return layout.dataDir().resolve("cds").resolve(FILE_NAME);
    }

    static int run(Layout layout, Optional<String> archiveOption, PrintStream out, PrintStream err) {
        Path archive = archiveOption.map(a -> layout.home().resolve(a).normalize())
            .orElseGet(() -> defaultArchive(layout));
        Path jar;
        try {
            jar = Path.of(CdsArchive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            err.println("opsd cds: cannot tell where opsd.jar is: " + e);
            return Main.FAILED;
        }
        if (!Files.isRegularFile(jar)) {
            err.println("opsd cds: run it as java -jar opsd.jar cds (the launcher is not in a jar: " + jar + ")");
            return Main.USAGE;
        }
        Path training = null;
        long start = System.nanoTime();
        try {
            Files.createDirectories(archive.getParent());
            training = Files.createTempDirectory(archive.getParent(), "training-");
            int httpPort = freePort();
            writeTrainingConfig(training.resolve("runtime-config"), httpPort);
            Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Path output = training.resolve("training.out");
            Process node = new ProcessBuilder(command(jar, partial, training)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            try {
                awaitReady(node, httpPort, output);
                exercise(httpPort);
            } finally {
                node.destroy(); // SIGTERM: the node stops in order, then the JVM writes the archive
                if (!node.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    throw new IOException("the training node did not stop within " + STOP_LIMIT.toSeconds() + " s");
                }
            }
            if (node.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IOException("the training node exited with " + node.exitValue() + " and wrote no archive;"
                    + " its last lines:\n" + tail(output));
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out.printf("opsd cds: wrote %s (%.1f MB) in %.1f s; start the node with -XX:SharedArchiveFile=%s%n",
                archive, Files.size(archive) / 1048576.0, (System.nanoTime() - start) / 1e9, archive);
            return Main.OK;
        } catch (IOException e) {
            err.println("opsd cds: " + e.getMessage());
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("opsd cds: interrupted");
            return Main.FAILED;
        } finally {
            if (training != null) {
                CtlBridge.deleteTree(training);
            }
        }
    }

    /** This JVM's options, without archive options and without -Dopsd.* (the training has a home of its own). */
    private static List<String> command(Path jar, Path partial, Path training) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean archiveOption = option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-Xshare")
                || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:SharedClassListFile");
            if (!archiveOption && !option.startsWith("-Dopsd.")) {
                command.add(option);
            }
        }
        command.add("-XX:ArchiveClassesAtExit=" + partial);
        command.addAll(List.of("-jar", jar.toString(), "--home", training.toString()));
        return command;
    }

    private static void writeTrainingConfig(Path config, int httpPort) throws IOException {
        Files.createDirectories(config);
        Files.writeString(config.resolve("org.apache.felix.http.cfg"), "org.apache.felix.http.host = 127.0.0.1\n"
            + "org.osgi.service.http.port = " + httpPort + "\norg.apache.felix.http.timeout = 15000\n");
        Files.writeString(config.resolve("io.opsd.grpc.server.cfg"), "port = " + freePort() + "\n");
        // the Manager link's client classes load while it tries; nobody listens there
        Files.writeString(config.resolve("io.opsd.manager.cfg"), "address = 127.0.0.1:" + freePort() + "\n");
        Files.writeString(config.resolve("io.opsd.agent-training.cfg"), "binary_path = /bin/sleep\nargs = 3600\n"
            + "health.interval = 1s\n");
    }

    private static void awaitReady(Process node, int port, Path output) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        while (get(port, "/ready") != 200) {
            if (!node.isAlive()) {
                throw new IOException("the training node exited with " + node.exitValue() + " before it was ready;"
                    + " its last lines:\n" + tail(output));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the training node was not ready within " + READY_LIMIT.toSeconds() + " s");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // polling a child that is starting
        }
    }

    /** What a running node is asked, so that the classes answering it are in the archive too. */
    private static void exercise(int port) throws IOException {
        for (String path : List.of("/health", "/metrics", "/heartbeat/stats", "/ready")) {
            get(port, path);
        }
        HttpURLConnection c = open(port, "/heartbeat");
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().write("{\"agent_id\":\"training\",\"pid\":1,\"cpu\":0.5}".getBytes(StandardCharsets.UTF_8));
        c.getResponseCode();
        c.disconnect();
    }

    private static int get(int port, String path) {
        try {
            HttpURLConnection c = open(port, path);
            try {
                int status = c.getResponseCode();
                (status >= 400 ? c.getErrorStream() : c.getInputStream()).readAllBytes();
                return status;
            } finally {
                c.disconnect();
            }
        } catch (IOException | NullPointerException e) {
            return -1;
        }
    }

    private static HttpURLConnection open(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
            .openConnection();
        c.setConnectTimeout(2_000);
        c.setReadTimeout(10_000);
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + output + " unreadable: " + e.getMessage() + ")";
        }
    }
}
