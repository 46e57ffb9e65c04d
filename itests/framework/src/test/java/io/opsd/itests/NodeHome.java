package io.opsd.itests;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.opsd.testing.Http;

/** The node home the framework runs with (itest.bndrun), and plain HTTP to it over loopback. */
final class NodeHome {

    private final BundleContext context;

    NodeHome(BundleContext context) {
        this.context = context;
    }

    Path configDir() {
        return Path.of(context.getProperty("opsd.config.dir"));
    }

    Path deployDir() throws IOException {
        return Files.createDirectories(Path.of(context.getProperty("opsd.deploy.dir")));
    }

    Path log() {
        return Path.of(context.getProperty("opsd.log.dir"), "opsd.log");
    }

    Path fixture(String name) {
        return Path.of(context.getProperty("opsd.itest.fixtures"), name + ".jar");
    }

    /** Writes {@code text} to {@code file} in one rename, so FileInstall never reads half a file. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The base URL of the HTTP Whiteboard runtime, from its {@code osgi.http.endpoint} property. */
    String baseUrl() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(
                "org.osgi.service.http.runtime.HttpServiceRuntime", null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object endpoint = ref.getProperty("osgi.http.endpoint");
                    String first = endpoint instanceof String[] a && a.length > 0 ? a[0]
                        : endpoint instanceof String s ? s : null;
                    if (first != null && !first.endsWith(":0/")) {
                        return first.endsWith("/") ? first.substring(0, first.length() - 1) : first;
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    Http.Response get(String path) throws IOException {
        String base = baseUrl();
        if (base == null) {
            throw new IOException("the HTTP runtime has no endpoint yet");
        }
        return Http.get(URI.create(base + path));
    }
}
