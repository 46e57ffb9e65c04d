package io.opsd.manager.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What could not be sent to the Manager, in order, on disk: one file per entry, written to a temporary name,
 * fsync'd and renamed (then the directory fsync'd), so a crash leaves whole entries or none. Bounded by
 * {@code max} bytes: the oldest entries are dropped first, and counted.
 */
final class DiskBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);
    private static final Pattern NAME = Pattern.compile("(\\d{16})\\.(report|states)");

    enum Kind { REPORT, STATES }

    record Entry(long sequence, Kind kind, byte[] payload) {
    }

    private final Path dir;
    private final long max;
    /** sequence → size in bytes, of the entries on disk. */
    private final TreeMap<Long, Long> sizes = new TreeMap<>();
    private final TreeMap<Long, Kind> kinds = new TreeMap<>();
    private long bytes;
    private long dropped;
    private long next;
    private final Runnable onDrop;

    /** {@code onDrop} runs once for every entry dropped to make room. */
    DiskBuffer(Path dir, long max, Runnable onDrop) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.max = max;
        this.onDrop = onDrop;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches()) {
                    long seq = Long.parseLong(m.group(1));
                    long size = Files.size(f);
                    sizes.put(seq, size);
                    kinds.put(seq, Kind.valueOf(m.group(2).toUpperCase(Locale.ROOT)));
                    bytes += size;
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a write a crash interrupted: never acknowledged as buffered
                }
            }
        }
        next = sizes.isEmpty() ? 1 : sizes.lastKey() + 1;
        if (!sizes.isEmpty()) {
            LOG.info("Manager link: {} reports and state changes ({} bytes) wait in {} from before", sizes.size(), bytes,
                dir);
        }
    }

    /** Returns the entry's sequence. */
    synchronized long append(Kind kind, byte[] payload) throws IOException {
        long seq = next++;
        while (!sizes.isEmpty() && bytes + payload.length > max) {
            long oldest = sizes.firstKey();
            delete(oldest);
            dropped++;
            onDrop.run();
            LOG.warn("Manager link: buffer full ({} bytes, buffer_max), dropped the oldest entry; {} dropped so far",
                max, dropped);
        }
        Path target = file(seq, kind);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(payload);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        sizes.put(seq, (long) payload.length);
        kinds.put(seq, kind);
        bytes += payload.length;
        return seq;
    }

    synchronized Optional<Entry> oldest() throws IOException {
        if (sizes.isEmpty()) {
            return Optional.empty();
        }
        long seq = sizes.firstKey();
        Kind kind = kinds.get(seq);
        return Optional.of(new Entry(seq, kind, Files.readAllBytes(file(seq, kind))));
    }

    /** The entry was delivered. */
    synchronized void remove(long sequence) throws IOException {
        if (sizes.containsKey(sequence)) {
            delete(sequence);
        }
    }

    synchronized int size() {
        return sizes.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long dropped() {
        return dropped;
    }

    private void delete(long seq) throws IOException {
        Files.deleteIfExists(file(seq, kinds.get(seq)));
        bytes -= sizes.remove(seq);
        kinds.remove(seq);
    }

    private Path file(long seq, Kind kind) {
        return dir.resolve(String.format(Locale.ROOT, "%016d.%s", seq, kind.name().toLowerCase(Locale.ROOT)));
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync {}: {}", dir, e.toString()); // some file systems refuse; the rename stands
        }
    }
}
