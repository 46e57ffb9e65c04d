package io.opsd.agent.internal;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates an {@code agent.log} that the agent writes itself, through a descriptor opened with {@code O_APPEND}
 * (an agent that outlives opsd, {@code keep_running_on_exit}): by copy and truncate, since renaming it would leave
 * the agent writing the renamed file, while after a truncation its appending writes continue at the new end. What
 * the agent writes between the copy and the truncation (microseconds) is lost, the known price of copy-truncate.
 */
final class CopyTruncateRotation {

    // the logger of the log as a whole, as before AgentLog was split: operators may filter on it
    private static final Logger LOG = LoggerFactory.getLogger(AgentLog.class);

    private final Object lock;
    private final LogFileSet files;
    private final Path active;
    private final RotatingLogWriter writer;
    private final RotatedLogCompressor compressor;
    private final Executor background;

    /**
     * @param lock guards {@code files} and {@code writer}
     * @param background runs requested rotations; when it rejects a task, the log is closed
     */
    CopyTruncateRotation(Object lock, LogFileSet files, RotatingLogWriter writer, RotatedLogCompressor compressor,
                         Executor background) {
        this.lock = lock;
        this.files = files;
        this.active = files.active();
        this.writer = writer;
        this.compressor = compressor;
        this.background = background;
    }

    /** Asks the background thread to {@link #rotate()} once the file is larger than maxSize; returns at once. */
    void request() {
        long limit;
        synchronized (lock) {
            if (writer.closed()) {
                return;
            }
            limit = files.settings().maxSize();
        }
        try {
            if (Files.size(active) <= limit) {
                return; // the usual case, without waking the background thread
            }
        } catch (IOException e) {
            return; // not there (yet)
        }
        try {
            background.execute(() -> {
                try {
                    rotate();
                } catch (IOException e) {
                    LOG.warn("cannot rotate {}: {}", active, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * Rotates {@code agent.log} if it holds more than maxSize bytes: the rotated files move up by one (those past
     * maxFiles are deleted), the content is copied to {@code agent.log.1}, and {@code agent.log} is truncated to
     * nothing.
     *
     * @return whether it rotated
     */
    boolean rotate() throws IOException {
        synchronized (lock) {
            if (writer.closed()) {
                return false;
            }
            long size;
            try {
                size = Files.size(active);
            } catch (NoSuchFileException e) {
                return false;
            }
            if (size <= files.settings().maxSize()) {
                return false;
            }
            files.shiftRotated();
            try (FileChannel source = FileChannel.open(active, READ, WRITE)) {
                if (files.settings().maxFiles() > 0) {
                    copyToFirstRotated(source);
                }
                source.truncate(0);
            }
            files.countRotation();
            writer.activeTruncated();
            LOG.debug("rotated {} by copy and truncate at {} bytes", active, size);
            compressor.rotated();
        }
        return true;
    }

    private void copyToFirstRotated(FileChannel source) throws IOException {
        try (FileChannel copy = FileChannel.open(files.rotated(1, false), CREATE, TRUNCATE_EXISTING, WRITE)) {
            // copied up to the end as it is now, again while the agent appended meanwhile
            long copied = 0;
            while (copied < source.size()) {
                copied += source.transferTo(copied, source.size() - copied, copy);
            }
        }
    }
}
