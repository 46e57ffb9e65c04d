package io.opsd.agent.internal;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file of one agent, {@code <dir>/agent.log}, fed from the agent's stdout and stderr pipes and rotated by
 * size by opsd itself: the agent never holds the file, so no line is lost at rotation and a deleted file frees its
 * space at once.
 * <p>
 * One daemon reader thread per attached stream drains the pipe until EOF and writes whole lines (bytes as they
 * are, split on {@code '\n'}) under one lock, so the lines of stdout and stderr never interleave. A line cut by EOF
 * is written with a {@code '\n'} added. A line longer than {@link #MAX_LINE_BYTES} is written in pieces of that
 * size, each ending with {@code '\n'}, so one runaway line cannot exhaust memory.
 * <p>
 * Rotation: {@code agent.log} becomes {@code agent.log.1}, older files move up by one, files past {@code maxFiles}
 * are deleted; with compression one background thread gzips rotated files to {@code agent.log.N.gz} (written as
 * {@code .gz.tmp}, synced, renamed, then the plain file deleted).
 * <p>
 * An agent that outlives opsd ({@code keep_running_on_exit}) writes {@code agent.log} itself, through a descriptor
 * opened with {@code O_APPEND} (ProcessBuilder.Redirect.appendTo); no reader is attached then. Such a file is
 * rotated by copy and truncate ({@link #rotateDirect()}): renaming it would leave the agent writing the renamed
 * file, while after a truncation its appending writes continue at the new end. What the agent writes between the
 * copy and the truncation (microseconds) is lost, the known price of copy-truncate.
 * <p>
 * Write errors (a full disk) never stop a reader: lines are dropped and counted while writing fails, one WARN when
 * it starts failing, one INFO with the count when it works again.
 */
final class AgentLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLog.class);

    static final String ACTIVE_NAME = "agent.log";
    /** Longest line kept whole (bytes before its '\n'); longer lines are written in pieces of this size. */
    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;
    /** Longest line kept in the tail; longer lines are cut there (the file has them whole). */
    static final int TAIL_LINE_BYTES = 8 * 1024;

    private static final String GZ = ".gz";
    private static final String TMP = ".tmp";
    private static final Pattern ROTATED_NAME =
        Pattern.compile(Pattern.quote(ACTIVE_NAME) + "\\.([1-9][0-9]{0,8})(\\.gz)?");
    private static final int READ_CHUNK_BYTES = 64 * 1024;
    private static final int FLUSH_BYTES = 64 * 1024;
    private static final int KEPT_PARTIAL_BYTES = 64 * 1024;
    private static final Duration WRITE_RETRY = Duration.ofSeconds(1);
    private static final Duration READER_GRACE = Duration.ofSeconds(2);
    private static final Duration COMPRESSION_GRACE = Duration.ofSeconds(10);
    private static final Duration COMPRESSOR_IDLE = Duration.ofSeconds(30);

    private final Path dir;
    private final Path active;
    private final String name;
    private final Object lock = new Object();
    private final Set<Reader> readers = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor compressor;
    private final AtomicBoolean compressionQueued = new AtomicBoolean();
    private volatile boolean stopCompressing;

    // Everything below is guarded by lock.
    private long maxSize;
    private int maxFiles;
    private boolean compress;
    private boolean accepting = true;
    private boolean closed;
    private final byte[][] tail;
    private int tailNext;
    private int tailSize;
    private OutputStream file;
    private BufferedOutputStream out;
    private long activeSize;
    private long unflushedBytes;
    private long unflushedLines;
    /** The file ends inside a line (a crash or a failed write cut it): end it before the next line. */
    private boolean lineBreakOwed;
    /** Rotations so far: a rotated file's index is {@code rotations - itsRotation + 1}. */
    private long rotations;
    private boolean failing;
    private long retryAtNanos;
    private long droppedWhileFailing;
    private long droppedLines;

    AgentLog(Path dir, long maxSize, int maxFiles, boolean compress, int tailLines) {
        checkSettings(maxSize, maxFiles);
        if (tailLines < 0) {
            throw new IllegalArgumentException("tailLines must not be negative: " + tailLines);
        }
        this.dir = Objects.requireNonNull(dir, "dir");
        this.active = dir.resolve(ACTIVE_NAME);
        this.name = dir.getFileName() == null ? "agent" : dir.getFileName().toString();
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.compress = compress;
        this.tail = new byte[tailLines][];
        this.compressor = new ThreadPoolExecutor(1, 1, COMPRESSOR_IDLE.toMillis(), TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "opsd-agent-log-gzip-" + name);
                thread.setDaemon(true);
                return thread;
            });
        compressor.allowCoreThreadTimeOut(true);
        synchronized (lock) {
            try {
                openActive();
                if (cleanUpInterruptedCompression() && compress) {
                    requestCompression();
                }
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    /** Starts a daemon thread that drains {@code stream} until EOF into this log. */
    void attach(InputStream stream, String streamName) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(streamName, "streamName");
        Reader reader = new Reader(stream, streamName);
        synchronized (lock) {
            if (!accepting) {
                throw new IllegalStateException("The log " + active + " is closed");
            }
            readers.add(reader);
        }
        Thread thread = new Thread(reader, "opsd-agent-log-" + name + "-" + streamName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Applies new settings without interrupting the agent; they take effect at the next line and rotation. */
    void settings(long maxSize, int maxFiles, boolean compress) {
        checkSettings(maxSize, maxFiles);
        synchronized (lock) {
            this.maxSize = maxSize;
            this.maxFiles = maxFiles;
            this.compress = compress;
        }
    }

    /** The last lines seen, oldest first, decoded as UTF-8 with replacement. */
    List<String> tail() {
        List<byte[]> lines = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < tailSize; i++) {
                lines.add(tail[Math.floorMod(tailNext - tailSize + i, tail.length)]);
            }
        }
        List<String> decoded = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            decoded.add(new String(line, StandardCharsets.UTF_8));
        }
        return List.copyOf(decoded);
    }

    /** Lines dropped so far because the file could not be written. */
    long droppedLines() {
        synchronized (lock) {
            return droppedLines;
        }
    }

    /**
     * Waits until every reader attached so far has reached EOF and written (and flushed) all it read.
     *
     * @return whether they all did within {@code limit}
     */
    boolean awaitDrained(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Reader reader : List.copyOf(readers)) {
            try {
                if (!reader.drained.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops accepting streams, gives the readers a moment to reach EOF, closes the file and finishes compression
     * (bounded). Readers still running afterwards keep draining their pipes, so the agent never blocks on a full
     * pipe, but drop what they read.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (!accepting) {
                return;
            }
            accepting = false;
        }
        if (!awaitDrained(READER_GRACE)) {
            LOG.info("the output of agent {} is still open at close; what follows is read and dropped", name);
        }
        synchronized (lock) {
            closed = true;
            flush();
            closeActive();
            if (droppedLines > 0) {
                LOG.warn("{} was closed with {} lines of agent output dropped since it was opened", active,
                    droppedLines);
            }
        }
        compressor.shutdown();
        try {
            if (!compressor.awaitTermination(COMPRESSION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                // The plain file stays and is compressed at the next start.
                stopCompressing = true;
                compressor.shutdownNow();
                LOG.warn("compressing the rotated logs of agent {} did not finish within {}; the rest is "
                    + "compressed at the next start", name, COMPRESSION_GRACE);
            }
        } catch (InterruptedException e) {
            stopCompressing = true;
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the background thread to rotate a file the agent writes itself once it is larger than maxSize
     * ({@link #rotateDirect()}); returns at once.
     */
    void requestDirectRotation() {
        long limit;
        synchronized (lock) {
            if (closed) {
                return;
            }
            limit = maxSize;
        }
        try {
            if (Files.size(active) <= limit) {
                return; // the usual case, without waking the background thread
            }
        } catch (IOException e) {
            return; // not there (yet)
        }
        try {
            compressor.execute(() -> {
                try {
                    rotateDirect();
                } catch (IOException e) {
                    LOG.warn("cannot rotate {}: {}", active, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * Copy-truncate rotation of {@code agent.log} when something else writes it in append mode and it holds more
     * than maxSize bytes: the rotated files move up by one (those past maxFiles are deleted), the content is copied
     * to {@code agent.log.1}, and {@code agent.log} is truncated to nothing.
     *
     * @return whether it rotated
     */
    boolean rotateDirect() throws IOException {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            long size;
            try {
                size = Files.size(active);
            } catch (NoSuchFileException e) {
                return false;
            }
            if (size <= maxSize) {
                return false;
            }
            deleteRotatedFrom(maxFiles);
            for (int index = maxFiles - 1; index >= 1; index--) {
                moveIfPresent(rotated(index, false), rotated(index + 1, false));
                moveIfPresent(rotated(index, true), rotated(index + 1, true));
            }
            try (FileChannel source = FileChannel.open(active, READ, WRITE)) {
                if (maxFiles > 0) {
                    try (FileChannel copy = FileChannel.open(rotated(1, false), CREATE, TRUNCATE_EXISTING, WRITE)) {
                        // copied up to the end as it is now, again while the agent appended meanwhile
                        long copied = 0;
                        while (copied < source.size()) {
                            copied += source.transferTo(copied, source.size() - copied, copy);
                        }
                    }
                }
                source.truncate(0);
            }
            rotations++;
            activeSize = 0;
            lineBreakOwed = false;
            LOG.debug("rotated {} by copy and truncate at {} bytes", active, size);
            if (compress && maxFiles > 0) {
                requestCompression();
            }
        }
        return true;
    }

    private static void checkSettings(long maxSize, int maxFiles) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
        }
        if (maxFiles < 0) {
            throw new IllegalArgumentException("maxFiles must not be negative: " + maxFiles);
        }
    }

    // --- writing; every method below runs under lock unless it says otherwise ---

    private void writeLine(byte[] bytes, int offset, int length, boolean addLineBreak) {
        rememberForTail(bytes, offset, length);
        if (closed) {
            return;
        }
        if (out == null && !reopenAfterFailure()) {
            drop(1);
            return;
        }
        long lineBytes = length + (addLineBreak ? 1 : 0);
        if (activeSize > 0 && activeSize + lineBytes + (lineBreakOwed ? 1 : 0) > maxSize) {
            rotate();
            if (out == null) {
                drop(1);
                return;
            }
        }
        try {
            if (unflushedBytes > 0 && unflushedBytes + lineBytes > FLUSH_BYTES) {
                flushOrThrow();
            }
        } catch (IOException e) {
            writeFailed(e);
            drop(1);
            return;
        }
        unflushedLines++;
        try {
            if (lineBreakOwed) {
                out.write('\n');
                lineBreakOwed = false;
                activeSize++;
                unflushedBytes++;
            }
            out.write(bytes, offset, length);
            if (addLineBreak) {
                out.write('\n');
            }
            activeSize += lineBytes;
            unflushedBytes += lineBytes;
            if (unflushedBytes >= FLUSH_BYTES) {
                flushOrThrow();
            }
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    private void rememberForTail(byte[] bytes, int offset, int length) {
        if (tail.length == 0) {
            return;
        }
        int end = offset + length;
        while (end > offset && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        byte[] line = new byte[Math.min(end - offset, TAIL_LINE_BYTES)];
        System.arraycopy(bytes, offset, line, 0, line.length);
        tail[tailNext] = line;
        tailNext = (tailNext + 1) % tail.length;
        tailSize = Math.min(tailSize + 1, tail.length);
    }

    private void flush() {
        if (out != null) {
            try {
                flushOrThrow();
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    private void flushOrThrow() throws IOException {
        out.flush();
        unflushedBytes = 0;
        unflushedLines = 0;
        if (failing) {
            failing = false;
            LOG.info("writing {} works again; {} lines of agent output were dropped", active, droppedWhileFailing);
            droppedWhileFailing = 0;
        }
    }

    private void drop(long lines) {
        droppedLines += lines;
        droppedWhileFailing += lines;
    }

    /** Gives up the open file (and what is buffered for it); the next line after a pause opens it again. */
    private void writeFailed(IOException e) {
        drop(unflushedLines);
        unflushedLines = 0;
        unflushedBytes = 0;
        if (!failing) {
            failing = true;
            LOG.warn("cannot write {} ({}); agent output is read on and dropped until writing works again", active,
                e.toString());
        }
        if (file != null) {
            try {
                file.close(); // not out.close(): that would retry writing the buffered lines already counted dropped
            } catch (IOException closeFailure) {
                LOG.debug("closing {} after a write failure failed too: {}", active, closeFailure.toString());
            }
        }
        file = null;
        out = null;
        retryAtNanos = System.nanoTime() + WRITE_RETRY.toNanos();
    }

    private boolean reopenAfterFailure() {
        if (failing && System.nanoTime() - retryAtNanos < 0) {
            return false;
        }
        try {
            openActive();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    private void openActive() throws IOException {
        Files.createDirectories(dir);
        OutputStream opened = Files.newOutputStream(active, CREATE, APPEND);
        try {
            long size = Files.size(active);
            lineBreakOwed = size > 0 && !endsWithLineBreak(active, size);
            activeSize = size;
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        file = opened;
        out = new BufferedOutputStream(opened, FLUSH_BYTES);
        unflushedBytes = 0;
        unflushedLines = 0;
    }

    private static boolean endsWithLineBreak(Path path, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return channel.read(last, size - 1) == 1 && last.get(0) == '\n';
        }
    }

    private void closeActive() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.warn("cannot close {}: {}", active, e.toString());
            }
        }
        file = null;
        out = null;
    }

    private void rotate() {
        flush();
        closeActive();
        try {
            deleteRotatedFrom(maxFiles);
            for (int index = maxFiles - 1; index >= 1; index--) {
                moveIfPresent(rotated(index, false), rotated(index + 1, false));
                moveIfPresent(rotated(index, true), rotated(index + 1, true));
            }
            if (maxFiles > 0) {
                moveIfPresent(active, rotated(1, false));
            } else {
                Files.deleteIfExists(active);
            }
            rotations++;
            openActive();
        } catch (IOException e) {
            writeFailed(e);
            return;
        }
        if (compress && maxFiles > 0) {
            requestCompression();
        }
    }

    /** Deletes rotated files with an index of at least {@code first} (also those left by a larger maxFiles). */
    private void deleteRotatedFrom(int first) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ACTIVE_NAME + ".*")) {
            for (Path entry : entries) {
                Matcher matcher = ROTATED_NAME.matcher(entry.getFileName().toString());
                if (matcher.matches() && Integer.parseInt(matcher.group(1)) >= first) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    private static void moveIfPresent(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // nothing at this index
        }
    }

    private Path rotated(long index, boolean gzipped) {
        return dir.resolve(ACTIVE_NAME + "." + index + (gzipped ? GZ : ""));
    }

    /**
     * Undoes what a crash during compression left: a partial {@code .gz.tmp} is deleted (its plain file is still
     * there); a plain file next to its {@code .gz} is deleted (a {@code .gz} is renamed into place only complete).
     *
     * @return whether plain rotated files remain
     */
    private boolean cleanUpInterruptedCompression() throws IOException {
        boolean plainLeft = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ACTIVE_NAME + ".*")) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                Matcher matcher = ROTATED_NAME.matcher(fileName);
                if (fileName.endsWith(GZ + TMP)) {
                    Files.deleteIfExists(entry);
                } else if (matcher.matches() && matcher.group(2) != null) {
                    Files.deleteIfExists(dir.resolve(fileName.substring(0, fileName.length() - GZ.length())));
                } else if (matcher.matches()) {
                    plainLeft |= !Files.exists(dir.resolve(fileName + GZ));
                }
            }
        }
        return plainLeft;
    }

    // --- compression ---

    /** A plain rotated file opened for compression; {@code rotation} tells where it is after later rotations. */
    private record PlainFile(long rotation, Object fileKey, InputStream content, Path tmp) {
    }

    private void requestCompression() {
        if (compressionQueued.compareAndSet(false, true)) {
            try {
                compressor.execute(this::compressRotatedFiles);
            } catch (RejectedExecutionException e) {
                compressionQueued.set(false); // closed
            }
        }
    }

    /** Runs on the compressor thread: gzips every plain rotated file, newest first. */
    private void compressRotatedFiles() {
        compressionQueued.set(false);
        Set<Long> attempted = new HashSet<>();
        while (!stopCompressing) {
            PlainFile source;
            synchronized (lock) {
                if (!compress) {
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
        TreeMap<Integer, Path> plainFiles = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ACTIVE_NAME + ".*")) {
            for (Path entry : entries) {
                Matcher matcher = ROTATED_NAME.matcher(entry.getFileName().toString());
                if (matcher.matches() && matcher.group(2) == null) {
                    plainFiles.put(Integer.parseInt(matcher.group(1)), entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {} to compress rotated logs: {}", dir, e.toString());
            return null;
        }
        for (var plain : plainFiles.entrySet()) {
            int index = plain.getKey();
            if (!attempted.add(rotations - index + 1)) {
                continue;
            }
            try {
                Object fileKey = Files.readAttributes(plain.getValue(), BasicFileAttributes.class).fileKey();
                InputStream content = Files.newInputStream(plain.getValue());
                return new PlainFile(rotations - index + 1, fileKey, content, dir.resolve(
                    rotated(index, true).getFileName() + TMP));
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
             GZIPOutputStream gzip = new GZIPOutputStream(Channels.newOutputStream(channel), FLUSH_BYTES)) {
            byte[] buffer = new byte[FLUSH_BYTES];
            int read;
            while ((read = content.read(buffer)) >= 0) {
                if (stopCompressing) {
                    throw new InterruptedIOException("closing");
                }
                gzip.write(buffer, 0, read);
            }
            gzip.finish();
            channel.force(true);
            return true;
        } catch (IOException e) {
            deleteQuietly(source.tmp());
            if (!stopCompressing) {
                LOG.warn("cannot compress a rotated log of agent {} ({}); it stays uncompressed", name, e.toString());
            }
            return false;
        }
    }

    /** Renames the finished .gz to the file's current index and deletes the plain file, if it is still kept. */
    private void install(PlainFile source) {
        long index = rotations - source.rotation() + 1;
        Path plain = rotated(index, false);
        try {
            if (index >= 1 && isSameFile(plain, source.fileKey())) {
                Files.move(source.tmp(), rotated(index, true), ATOMIC_MOVE);
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

    // --- reading ---

    private final class Reader implements Runnable {
        private final InputStream stream;
        private final String streamName;
        private final CountDownLatch drained = new CountDownLatch(1);
        /** The start of a line whose end has not been read yet; owned by the reader thread. */
        private byte[] partial = new byte[256];
        private int partialLength;

        Reader(InputStream stream, String streamName) {
            this.stream = stream;
            this.streamName = streamName;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[READ_CHUNK_BYTES];
            try {
                int read;
                while ((read = stream.read(chunk)) >= 0) {
                    boolean burstEnds = nothingMoreAvailable();
                    synchronized (lock) {
                        writeLines(chunk, read);
                        if (burstEnds) {
                            flush(); // so that tail -f shows the lines now
                        }
                    }
                }
            } catch (IOException e) {
                LOG.debug("the {} of agent {} ended with an error: {}", streamName, name, e.toString());
            } finally {
                synchronized (lock) {
                    if (partialLength > 0) {
                        writeLine(partial, 0, partialLength, true);
                        partialLength = 0;
                    }
                    flush();
                }
                closeStream();
                readers.remove(this);
                drained.countDown();
            }
        }

        private void closeStream() {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("cannot close the {} of agent {}: {}", streamName, name, e.toString());
            }
        }

        private boolean nothingMoreAvailable() {
            try {
                return stream.available() == 0;
            } catch (IOException e) {
                return true;
            }
        }

        private void writeLines(byte[] chunk, int length) {
            int lineStart = 0;
            for (int i = 0; i < length; i++) {
                if (chunk[i] == '\n') {
                    if (partialLength == 0) {
                        writeLine(chunk, lineStart, i + 1 - lineStart, false);
                    } else {
                        appendPartial(chunk, lineStart, i + 1 - lineStart, true);
                        writeLine(partial, 0, partialLength, false);
                        clearPartial();
                    }
                    lineStart = i + 1;
                }
            }
            if (lineStart < length) {
                appendPartial(chunk, lineStart, length - lineStart, false);
            }
        }

        private void appendPartial(byte[] bytes, int offset, int length, boolean endsLine) {
            int content = endsLine ? length - 1 : length;
            while (partialLength + content > MAX_LINE_BYTES) {
                int fits = MAX_LINE_BYTES - partialLength;
                grow(MAX_LINE_BYTES);
                System.arraycopy(bytes, offset, partial, partialLength, fits);
                partialLength += fits;
                writeLine(partial, 0, partialLength, true);
                clearPartial();
                offset += fits;
                length -= fits;
                content -= fits;
            }
            grow(partialLength + length);
            System.arraycopy(bytes, offset, partial, partialLength, length);
            partialLength += length;
        }

        private void grow(int needed) {
            if (needed > partial.length) {
                byte[] larger = new byte[(int) Math.min(MAX_LINE_BYTES + 1L, Math.max(needed, 2L * partial.length))];
                System.arraycopy(partial, 0, larger, 0, partialLength);
                partial = larger;
            }
        }

        private void clearPartial() {
            partialLength = 0;
            if (partial.length > KEPT_PARTIAL_BYTES) {
                partial = new byte[256];
            }
        }
    }
}
