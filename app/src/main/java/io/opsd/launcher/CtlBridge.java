package io.opsd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * {@code ctl}: runs the DaemonService client that ships inside the io.opsd.grpc bundle, on a class loader made of
 * that bundle, the grpc jars it embeds, protobuf-java and io.opsd.api (its text tables and sizes), all unpacked from
 * opsd.jar into a temporary directory.
 * The launcher itself stays free of grpc: the client is the {@link ToolProvider} named {@value #TOOL} that the
 * bundle declares in META-INF/services, and it reads its defaults (target, token and CA from the node's own
 * {@code io.opsd.grpc.server} configuration, the admin token from {@code io.opsd.admin}) from the configuration
 * directory this passes as {@code --config-dir}.
 */
final class CtlBridge {

    /** io.opsd.grpc.ctl.CtlTool's name. */
    static final String TOOL = "opsd-ctl";

    /** The bundles whose classes the client runs on, by symbolic name. */
    private static final Set<String> CLASS_PATH = Set.of("io.opsd.grpc", "com.google.protobuf", "io.opsd.api");

    private CtlBridge() {
    }

    static int run(List<String> args, Layout layout, PrintStream out, PrintStream err) {
        Path work;
        try {
            work = Files.createTempDirectory("opsd-ctl-");
        } catch (IOException e) {
            err.println("opsd ctl: cannot make a temporary directory: " + e.getMessage());
            return Main.FAILED;
        }
        try {
            List<URL> classPath = unpack(work);
            try (URLClassLoader loader = new URLClassLoader(classPath.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
                List<String> line = new ArrayList<>(List.of("--config-dir", layout.configDir().toString()));
                line.addAll(args);
                return tool(loader).run(out, err, line.toArray(new String[0]));
            }
        } catch (IOException | ServiceConfigurationError e) {
            err.println("opsd ctl: cannot load the client from opsd.jar: " + e);
            return Main.FAILED;
        } catch (RuntimeException e) {
            err.println("opsd ctl: " + e);
            return Main.FAILED;
        } finally {
            deleteTree(work);
        }
    }

    private static ToolProvider tool(ClassLoader loader) throws IOException {
        for (ToolProvider tool : ServiceLoader.load(ToolProvider.class, loader)) {
            if (tool.name().equals(TOOL)) {
                return tool;
            }
        }
        throw new IOException("io.opsd.grpc provides no tool named " + TOOL);
    }

    /** io.opsd.grpc (its own classes and lib/*.jar), protobuf-java and io.opsd.api, out of opsd.jar's bundles/. */
    private static List<URL> unpack(Path work) throws IOException {
        List<URL> urls = new ArrayList<>();
        Set<String> found = new HashSet<>();
        for (BundleSource.Entry entry : BundleSource.list(System.getProperty("opsd.launcher.bundles"))) {
            String bsn = entry.symbolicName();
            if (!CLASS_PATH.contains(bsn)) {
                continue;
            }
            found.add(bsn);
            Path jar = work.resolve(bsn + ".jar");
            try (InputStream in = entry.opener().open()) {
                Files.copy(in, jar);
            }
            urls.add(jar.toUri().toURL());
            if (bsn.equals("io.opsd.grpc")) {
                Path lib = Files.createDirectories(work.resolve("lib"));
                try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
                    for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                        String name = e.getName();
                        if (name.startsWith("lib/") && name.endsWith(".jar") && name.indexOf('/', 4) < 0) {
                            Path embedded = lib.resolve(name.substring(4));
                            Files.copy(in, embedded);
                            urls.add(embedded.toUri().toURL());
                        }
                    }
                }
            }
        }
        if (!found.containsAll(CLASS_PATH)) {
            Set<String> missing = new TreeSet<>(CLASS_PATH);
            missing.removeAll(found);
            throw new IOException(String.join(", ", missing) + " missing from the bundles of opsd.jar");
        }
        return urls;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
