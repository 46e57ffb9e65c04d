package io.opsd.admin.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.runtime.RuntimePaths;

/**
 * The admin layer: per configuration, the keys node administration set, as .cfg text in
 * {@code <data>/admin/config/<pid>.cfg} (the operator's pid), written atomically and kept in memory for the
 * {@link LayerPlugin}, which reads it on every delivery. Keyed here by ConfigAdmin's pid.
 */
@Component(service = AdminLayer.class)
public final class AdminLayer {

    private static final Logger LOG = LoggerFactory.getLogger(AdminLayer.class);
    private static final String SUFFIX = ".cfg";

    private final Path dir;
    private final ConcurrentMap<String, Map<String, String>> byCaPid = new ConcurrentHashMap<>();

    @Activate
    public AdminLayer(BundleContext context) {
        this(RuntimePaths.dataDir(context).resolve("admin").resolve("config"));
    }

    AdminLayer(Path dir) {
        this.dir = dir;
        load();
    }

    /** The admin values of a ConfigAdmin pid, empty when it has none. */
    Map<String, String> get(String caPid) {
        return byCaPid.getOrDefault(caPid, Map.of());
    }

    boolean has(String caPid) {
        return byCaPid.containsKey(caPid);
    }

    /** Every ConfigAdmin pid with an admin layer and its values. */
    Map<String, Map<String, String>> all() {
        return new TreeMap<>(byCaPid);
    }

    /** Replaces the admin values of a pid (none: drops its file). */
    void put(Pids.Pid pid, Map<String, String> values) {
        Path file = dir.resolve(pid.name() + SUFFIX);
        try {
            if (values.isEmpty()) {
                Files.deleteIfExists(file);
                byCaPid.remove(pid.caPid());
            } else {
                Files.createDirectories(dir);
                writeAtomically(file, text(values));
                byCaPid.put(pid.caPid(), Map.copyOf(values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin layer of " + pid.name() + " (" + file + "): "
                + e.getMessage(), e);
        }
    }

    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String pid = name.substring(0, name.length() - SUFFIX.length());
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    Properties p = new Properties();
                    p.load(in);
                    Map<String, String> values = new TreeMap<>();
                    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
                    byCaPid.put(Pids.parse(pid).caPid(), Map.copyOf(values));
                } catch (IOException | IllegalArgumentException | io.opsd.api.admin.AdminException e) {
                    LOG.error("admin layer {} cannot be read and is ignored: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("admin layer {} cannot be listed: {}", dir, e.getMessage());
        }
    }

    private static String text(Map<String, String> values) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        StringWriter out = new StringWriter();
        p.store(out, "opsd admin layer: written by node administration, do not edit");
        // Properties writes a date line and keys in hash order: keep the file stable
        StringBuilder sorted = new StringBuilder("# opsd admin layer: written by node administration, do not edit\n");
        out.toString().lines().filter(l -> !l.startsWith("#")).sorted().forEach(l -> sorted.append(l).append('\n'));
        return sorted.toString();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the rename itself is atomic
        }
    }
}
