package io.opsd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

/**
 * {@code ctl}: runs the DaemonService client that ships inside the io.opsd.grpc bundle, on a class loader made of
 * that bundle, the grpc jars it embeds and protobuf-java, all unpacked from opsd.jar into a temporary directory.
 * The launcher itself stays free of grpc. Target, token and CA default to the node's own
 * {@code io.opsd.grpc.server} configuration.
 */
final class CtlBridge {

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
                Method run = loader.loadClass("io.opsd.grpc.ctl.Ctl").getMethod("run", String[].class, Map.class,
                    PrintStream.class, PrintStream.class);
                return (Integer) run.invoke(null, args.toArray(new String[0]), defaults(layout), out, err);
            }
        } catch (InvocationTargetException e) {
            err.println("opsd ctl: " + e.getCause());
            return Main.FAILED;
        } catch (IOException | ReflectiveOperationException e) {
            err.println("opsd ctl: cannot load the client from opsd.jar: " + e);
            return Main.FAILED;
        } finally {
            deleteTree(work);
        }
    }

    /** io.opsd.grpc (its own classes and lib/*.jar) and protobuf-java, out of opsd.jar's bundles/. */
    private static List<URL> unpack(Path work) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (BundleSource.Entry entry : BundleSource.list(System.getProperty("opsd.launcher.bundles"))) {
            String bsn = entry.symbolicName();
            if (!bsn.equals("io.opsd.grpc") && !bsn.equals("com.google.protobuf")) {
                continue;
            }
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
        if (urls.size() < 3) {
            throw new IOException("io.opsd.grpc or protobuf-java is missing from the bundles of opsd.jar");
        }
        return urls;
    }

    /**
     * bind:port, token and the CA of the node's own gRPC configuration, when the file says so, and the admin token
     * of its io.opsd.admin.cfg.
     */
    static Map<String, String> defaults(Layout layout) {
        Map<String, String> d = new HashMap<>();
        String adminToken = properties(layout.configDir().resolve("io.opsd.admin.cfg"))
            .getProperty("admin_token", "").trim();
        if (!adminToken.isEmpty() && !adminToken.startsWith("$[")) {
            d.put("admin_token", adminToken);
        }
        Path cfg = layout.configDir().resolve("io.opsd.grpc.server.cfg");
        if (!Files.isRegularFile(cfg)) {
            return d;
        }
        Properties p = properties(cfg);
        String bind = p.getProperty("bind", "127.0.0.1").trim();
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            bind = "127.0.0.1";
        }
        d.put("target", (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + p.getProperty("port", "9091").trim());
        String token = p.getProperty("token", "").trim();
        if (!token.isEmpty() && !token.startsWith("$[")) {
            d.put("token", token);
        }
        return d;
    }

    private static Properties properties(Path cfg) {
        Properties p = new Properties();
        if (Files.isRegularFile(cfg)) {
            try (InputStream in = Files.newInputStream(cfg)) {
                p.load(in);
            } catch (IOException e) {
                return new Properties();
            }
        }
        return p;
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
