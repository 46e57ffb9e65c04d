package io.opsd.admin.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin bundles kept under {@code <data>/admin/bundles/<bsn>.jar}, uploads in progress under
 * {@code <data>/admin/incoming/}, and per symbolic name a marker (in the admin bundle's framework data area, which
 * goes with the framework cache) of the sha256 installed into the framework: "unknown" while a change runs.
 */
final class BundleStore {

    static final String UNKNOWN = "unknown";

    private final Path bundles;
    private final Path incoming;
    private final Path markers;

    BundleStore(Path dataDir, Path frameworkData) throws IOException {
        this.bundles = Files.createDirectories(dataDir.resolve("admin").resolve("bundles"));
        this.incoming = Files.createDirectories(dataDir.resolve("admin").resolve("incoming"));
        this.markers = Files.createDirectories(frameworkData.resolve("installed"));
    }

    Path newIncoming(String fileName) throws IOException {
        return Files.createTempFile(incoming, "upload-", "-" + fileName);
    }

    Path jar(String symbolicName) {
        return bundles.resolve(symbolicName + ".jar");
    }

    Optional<String> storedSha(String symbolicName) {
        Path jar = jar(symbolicName);
        try {
            return Files.exists(jar) ? Optional.of(BundleViews.hex(jar)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Copies {@code source} to the stored jar of {@code symbolicName}: temp file, fsync, atomic rename. */
    void keep(String symbolicName, Path source) throws IOException {
        Path tmp = bundles.resolve("." + symbolicName + ".jar.tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, jar(symbolicName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(bundles);
    }

    void delete(String symbolicName) throws IOException {
        Files.deleteIfExists(jar(symbolicName));
        Files.deleteIfExists(markers.resolve(symbolicName));
        syncDirectory(bundles);
    }

    List<String> storedNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(bundles, "*.jar")) {
            for (Path p : jars) {
                String f = p.getFileName().toString();
                if (!f.startsWith(".")) {
                    names.add(f.substring(0, f.length() - ".jar".length()));
                }
            }
        }
        return names;
    }

    void deleteIncoming() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(bundles, ".*.tmp")) {
            for (Path p : tmp) {
                Files.deleteIfExists(p);
            }
        }
    }

    Optional<String> marker(String symbolicName) {
        try {
            Path m = markers.resolve(symbolicName);
            return Files.exists(m) ? Optional.of(Files.readString(m, StandardCharsets.US_ASCII).trim())
                : Optional.empty();
        } catch (IOException e) {
            return Optional.of(UNKNOWN);
        }
    }

    void mark(String symbolicName, String sha) throws IOException {
        Path tmp = markers.resolve("." + symbolicName + ".tmp");
        Files.writeString(tmp, sha, StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, markers.resolve(symbolicName), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system can sync a directory; the rename itself is atomic
        }
    }
}
