package io.opsd.agent.internal;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gzips the rotated files of an agent's log on the log's background thread, newest first: {@code agent.log.N}
 * becomes {@code agent.log.N.gz}, written as {@code .gz.tmp}, synced, renamed, then the plain file deleted.
 * <p>
 * A file is read through its open descriptor without the log's lock, so writing goes on meanwhile; rotations that
 * move the file up or delete it meanwhile are checked for under the lock before the .gz is put in place.
 */
final class RotatedLogCompressor {

    // the logger of the log as a whole, as before AgentLog was split: operators may filter on it
    private static final Logger LOG = LoggerFactory.getLogger(AgentLog.class);

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Object lock;
    private final LogFileSet files;
    private final Executor background;
    private final String agentName;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean stopping;

    /** A plain rotated file opened for compression; {@code rotation} tells where it is after later rotations. */
    private record PlainFile(long rotation, Object fileKey, InputStream content, Path tmp) {
    }

    /**
     * @param lock guards {@code files}
     * @param background runs the compression; when it rejects a task, the log is closed
     */
    RotatedLogCompressor(Object lock, LogFileSet files, Executor background, String agentName) {
        this.lock = lock;
        this.files = files;
        this.background = background;
        this.agentName = agentName;
    }

    /** Compresses the plain rotated files in the background, unless that is already queued. */
    void request() {
        if (queued.compareAndSet(false, true)) {
            try {
                background.execute(this::compressRotatedFiles);
            } catch (RejectedExecutionException e) {
                queued.set(false); // closed
            }
        }
    }

    /** After a rotation, under the lock: compresses the newly rotated file if the settings say so. */
    void rotated() {
        if (files.settings().compressesRotatedFiles()) {
            request();
        }
    }

    /** Makes a running compression give up: its plain file stays and is compressed at the next start. */
    void stop() {
        stopping = true;
    }

    /** Runs on the background thread: gzips every plain rotated file, newest first. */
    private void compressRotatedFiles() {
        queued.set(false);
        Set<Long> attempted = new HashSet<>();
        while (!stopping) {
            PlainFile source;
            synchronized (lock) {
                if (!files.settings().compress()) {
                    return;
                }
                source = openNextPlainFile(attempted);
            }
            if (source == null) {
                return;
            }
            if (gzip(source)) {
                synchronized (lock) {
                    install(source);
                }
            }
        }
    }

    private PlainFile openNextPlainFile(Set<Long> attempted) {
        TreeMap<Integer, Path> plainFiles;
        try {
            plainFiles = files.plainRotated();
        } catch (IOException e) {
            LOG.warn("cannot list {} to compress rotated logs: {}", files.dir(), e.toString());
            return null;
        }
        for (Map.Entry<Integer, Path> plain : plainFiles.entrySet()) {
            int index = plain.getKey();
            long rotation = files.rotationAt(index);
            if (!attempted.add(rotation)) {
                continue;
            }
            try {
                Object fileKey = Files.readAttributes(plain.getValue(), BasicFileAttributes.class).fileKey();
                InputStream content = Files.newInputStream(plain.getValue());
                return new PlainFile(rotation, fileKey, content,
                    files.dir().resolve(files.rotated(index, true).getFileName() + LogFileSet.TMP));
            } catch (IOException e) {
                LOG.warn("cannot read {} to compress it ({}); it stays uncompressed", plain.getValue(), e.toString());
            }
        }
        return null;
    }

    /** Runs without the lock: the plain file is read through its open descriptor while rotations rename it. */
    private boolean gzip(PlainFile source) {
        try (InputStream content = source.content();
             FileChannel channel = FileChannel.open(source.tmp(), CREATE, TRUNCATE_EXISTING, WRITE);
             GZIPOutputStream gzip = new GZIPOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            int read;
            while ((read = content.read(buffer)) >= 0) {
                if (stopping) {
                    throw new InterruptedIOException("closing");
                }
                gzip.write(buffer, 0, read);
            }
            gzip.finish();
            channel.force(true);
            return true;
        } catch (IOException e) {
            deleteQuietly(source.tmp());
            if (!stopping) {
                LOG.warn("cannot compress a rotated log of agent {} ({}); it stays uncompressed", agentName,
                    e.toString());
            }
            return false;
        }
    }

    /** Renames the finished .gz to the file's current index and deletes the plain file, if it is still kept. */
    private void install(PlainFile source) {
        long index = files.indexOf(source.rotation());
        Path plain = files.rotated(index, false);
        try {
            if (index >= 1 && isSameFile(plain, source.fileKey())) {
                Files.move(source.tmp(), files.rotated(index, true), ATOMIC_MOVE);
                Files.delete(plain);
            } else {
                Files.deleteIfExists(source.tmp()); // rotated out while it was compressed
            }
        } catch (IOException e) {
            LOG.warn("cannot put the compressed {} in place: {}", plain, e.toString());
            deleteQuietly(source.tmp());
        }
    }

    private static boolean isSameFile(Path path, Object fileKey) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return fileKey == null || fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", path, e.toString());
        }
    }
}
