package io.opsd.node.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The file {@code <data>/node_id}: the node id with no newline, the format the old daemon used, so an operator
 * can carry a node's identity over by copying the file.
 */
final class NodeIdFile {

    private final Path file;

    NodeIdFile(Path dataDir) {
        this.file = dataDir.resolve("node_id");
    }

    Path path() {
        return file;
    }

    /** The id to use: {@code configured} if given (written to the file when it differs), else the file's, else a new UUID. */
    String resolve(Optional<String> configured) throws IOException {
        Optional<String> stored = read();
        if (configured.isPresent()) {
            if (!configured.equals(stored)) {
                write(configured.get());
            }
            return configured.get();
        }
        if (stored.isPresent()) {
            return stored.get();
        }
        String generated = UUID.randomUUID().toString();
        write(generated);
        return generated;
    }

    Optional<String> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        // trimmed: the old daemon kept a trailing newline if an operator's editor added one
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!NodeSettings.NODE_ID.matcher(text).matches()) {
            throw new IOException(file + " holds \"" + abbreviate(text) + "\", which is not a node id; fix the file,"
                + " set id in io.opsd.node.cfg, or delete the file to generate a new id");
        }
        return Optional.of(text);
    }

    /** Writes atomically: temporary file, fsync, rename, fsync of the directory. */
    void write(String id) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("node_id.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
