package io.opsd.agent.internal;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes whole lines to {@code agent.log}, buffered, and rotates it by renaming before a line would take it past
 * maxSize (a line longer than maxSize gets a file of its own). A file that ends inside a line (a crash or a failed
 * write cut it) gets its line ended before the next line.
 * <p>
 * Write errors (a full disk) never reach the caller: lines are dropped and counted while writing fails, one WARN
 * when it starts failing, one INFO with the count when it works again; the file is opened again a second after a
 * failure. Not thread-safe: the lock of its {@link AgentLog} guards every method.
 */
final class RotatingLogWriter {

    // the logger of the log as a whole, as before AgentLog was split: operators may filter on it
    private static final Logger LOG = LoggerFactory.getLogger(AgentLog.class);

    private static final int FLUSH_BYTES = 64 * 1024;
    private static final Duration WRITE_RETRY = Duration.ofSeconds(1);

    private final LogFileSet files;
    private final Path active;
    private final RotatedLogCompressor compressor;
    private boolean closed;
    private OutputStream file;
    private BufferedOutputStream out;
    private long activeSize;
    private long unflushedBytes;
    private long unflushedLines;
    /** The file ends inside a line: end it before the next line. */
    private boolean lineBreakOwed;
    private boolean failing;
    private long retryAtNanos;
    private long droppedWhileFailing;
    private long droppedLines;

    RotatingLogWriter(LogFileSet files, RotatedLogCompressor compressor) {
        this.files = files;
        this.active = files.active();
        this.compressor = compressor;
    }

    /** Opens (or creates) {@code agent.log} to append to it. */
    void open() throws IOException {
        Files.createDirectories(files.dir());
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

    /**
     * Writes a line, followed by a {@code '\n'} if {@code addLineBreak}; after {@link #close()}, nothing.
     *
     * @param length the line's bytes, with its {@code '\n'} unless {@code addLineBreak}
     */
    void writeLine(byte[] bytes, int offset, int length, boolean addLineBreak) {
        if (closed) {
            return;
        }
        if (out == null && !reopenAfterFailure()) {
            drop(1);
            return;
        }
        long lineBytes = length + (addLineBreak ? 1 : 0);
        if (activeSize > 0 && activeSize + lineBytes + (lineBreakOwed ? 1 : 0) > files.settings().maxSize()) {
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

    /** Writes what is buffered, so that readers of the file see it. */
    void flush() {
        if (out != null) {
            try {
                flushOrThrow();
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    /** Lines dropped so far because the file could not be written. */
    long droppedLines() {
        return droppedLines;
    }

    /** Whether {@link #close()} was called: nothing is written or rotated any more. */
    boolean closed() {
        return closed;
    }

    /** Something else truncated {@code agent.log} to nothing (copy-truncate rotation). */
    void activeTruncated() {
        activeSize = 0;
        lineBreakOwed = false;
    }

    /** Gives up the open file (and what is buffered for it); the next line after a pause opens it again. */
    void writeFailed(IOException e) {
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

    /** Flushes and closes the file; lines written afterwards are dropped without being counted. */
    void close() {
        closed = true;
        flush();
        closeActive();
        if (droppedLines > 0) {
            LOG.warn("{} was closed with {} lines of agent output dropped since it was opened", active, droppedLines);
        }
    }

    private void rotate() {
        flush();
        closeActive();
        try {
            files.shiftRotated();
            files.rotateActiveByRename();
            files.countRotation();
            open();
        } catch (IOException e) {
            writeFailed(e);
            return;
        }
        compressor.rotated();
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

    private boolean reopenAfterFailure() {
        if (failing && System.nanoTime() - retryAtNanos < 0) {
            return false;
        }
        try {
            open();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
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

    private static boolean endsWithLineBreak(Path path, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return channel.read(last, size - 1) == 1 && last.get(0) == '\n';
        }
    }
}
