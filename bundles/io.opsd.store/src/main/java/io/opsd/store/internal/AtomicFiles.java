package io.opsd.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a file so that a crash at any moment leaves either the old content or the new, never a mix: a temporary
 * file beside it, fsync, rename over it, fsync of the directory. A failed write (a full disk) removes the
 * temporary file and leaves the old file as it was.
 */
final class AtomicFiles {

    static final String TMP = ".tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private AtomicFiles() {
    }

    static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + TMP);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory(file.getParent());
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Moves a file that cannot be read aside as {@code <name>.corrupt-<time>}, where an operator can look at it. */
    static Path setAside(Path file, Instant now) throws IOException {
        Path target = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(now));
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.getParent());
        return target;
    }
}
