package io.opsd.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.concurrent.DaemonThreads;

/**
 * The log file of one agent, {@code <dir>/agent.log}, fed from the agent's stdout and stderr pipes and rotated by
 * size by opsd itself: the agent never holds the file, so no line is lost at rotation and a deleted file frees its
 * space at once.
 * <p>
 * This class ties the parts together and owns their lifecycle and their one lock: a {@link LogStreamReader}
 * thread per attached stream hands whole lines to the {@link LogTail} and the {@link RotatingLogWriter}, which
 * rotates {@code agent.log} to {@code agent.log.1} and up ({@link LogFileSet}); one background thread runs the
 * {@link RotatedLogCompressor} and requested {@link CopyTruncateRotation}s, for an agent that outlives opsd
 * ({@code keep_running_on_exit}) and writes {@code agent.log} itself, with no reader attached.
 */
final class AgentLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLog.class);

    static final String ACTIVE_NAME = LogFileSet.ACTIVE_NAME;
    /** Longest line kept whole (bytes before its '\n'); longer lines are written in pieces of this size. */
    static final int MAX_LINE_BYTES = LogStreamReader.MAX_LINE_BYTES;
    /** Longest line kept in the tail; longer lines are cut there (the file has them whole). */
    static final int TAIL_LINE_BYTES = LogTail.LINE_BYTES;

    private static final Duration READER_GRACE = Duration.ofSeconds(2);
    private static final Duration COMPRESSION_GRACE = Duration.ofSeconds(10);
    private static final Duration BACKGROUND_IDLE = Duration.ofSeconds(30);

    private final String name;
    private final Object lock = new Object();
    private final Set<LogStreamReader> readers = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor background;
    private final RotatedLogCompressor compressor;
    private final CopyTruncateRotation copyTruncate;

    // Guarded by lock.
    private final LogFileSet files;
    private final LogTail tail;
    private final RotatingLogWriter writer;
    private boolean accepting = true;

    /** Lines of every reader go to the tail and the file. */
    private final LogStreamReader.LineSink output = new LogStreamReader.LineSink() {
        @Override
        public void writeLine(byte[] bytes, int offset, int length, boolean addLineBreak) {
            tail.remember(bytes, offset, length);
            writer.writeLine(bytes, offset, length, addLineBreak);
        }

        @Override
        public void flush() {
            writer.flush();
        }
    };

    AgentLog(Path dir, long maxSize, int maxFiles, boolean compress, int tailLines) {
        RotationSettings settings = new RotationSettings(maxSize, maxFiles, compress);
        this.tail = new LogTail(tailLines);
        this.files = new LogFileSet(dir, settings);
        this.name = dir.getFileName() == null ? "agent" : dir.getFileName().toString();
        this.background = backgroundThread(name);
        this.compressor = new RotatedLogCompressor(lock, files, background, name);
        this.writer = new RotatingLogWriter(files, compressor);
        this.copyTruncate = new CopyTruncateRotation(lock, files, writer, compressor, background);
        synchronized (lock) {
            try {
                writer.open();
                if (files.cleanUpInterruptedCompression() && compress) {
                    compressor.request();
                }
            } catch (IOException e) {
                writer.writeFailed(e);
            }
        }
    }

    /** One daemon thread, started when there is work and ended after a while without. */
    private static ThreadPoolExecutor backgroundThread(String agentName) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, BACKGROUND_IDLE.toMillis(), TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), DaemonThreads.named("opsd-agent-log-gzip-" + agentName));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Starts a daemon thread that drains {@code stream} until EOF into this log. */
    void attach(InputStream stream, String streamName) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(streamName, "streamName");
        LogStreamReader reader = new LogStreamReader(stream, streamName, name, lock, output, readers::remove);
        synchronized (lock) {
            if (!accepting) {
                throw new IllegalStateException("The log " + files.active() + " is closed");
            }
            readers.add(reader);
        }
        Thread thread = new Thread(reader, "opsd-agent-log-" + name + "-" + streamName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Applies new settings without interrupting the agent; they take effect at the next line and rotation. */
    void settings(long maxSize, int maxFiles, boolean compress) {
        RotationSettings next = new RotationSettings(maxSize, maxFiles, compress);
        synchronized (lock) {
            files.settings(next);
        }
    }

    /** The last lines seen, oldest first, decoded as UTF-8 with replacement. */
    List<String> tail() {
        List<byte[]> lines;
        synchronized (lock) {
            lines = tail.lines();
        }
        return LogTail.decode(lines);
    }

    /** Lines dropped so far because the file could not be written. */
    long droppedLines() {
        synchronized (lock) {
            return writer.droppedLines();
        }
    }

    /**
     * Waits until every reader attached so far has reached EOF and written (and flushed) all it read.
     *
     * @return whether they all did within {@code limit}
     */
    boolean awaitDrained(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (LogStreamReader reader : List.copyOf(readers)) {
            try {
                if (!reader.awaitDrained(Math.max(0, deadline - System.nanoTime()))) {
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
            writer.close();
        }
        background.shutdown();
        try {
            if (!background.awaitTermination(COMPRESSION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                // The plain file stays and is compressed at the next start.
                compressor.stop();
                background.shutdownNow();
                LOG.warn("compressing the rotated logs of agent {} did not finish within {}; the rest is "
                    + "compressed at the next start", name, COMPRESSION_GRACE);
            }
        } catch (InterruptedException e) {
            compressor.stop();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the background thread to rotate a file the agent writes itself once it is larger than maxSize
     * ({@link #rotateDirect()}); returns at once.
     */
    void requestDirectRotation() {
        copyTruncate.request();
    }

    /**
     * Copy-truncate rotation of {@code agent.log} when something else writes it in append mode and it holds more
     * than maxSize bytes: the rotated files move up by one (those past maxFiles are deleted), the content is copied
     * to {@code agent.log.1}, and {@code agent.log} is truncated to nothing.
     *
     * @return whether it rotated
     */
    boolean rotateDirect() throws IOException {
        return copyTruncate.rotate();
    }
}
