package io.opsd.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one output stream of an agent (stdout or stderr) until EOF, on a thread of its own, and hands on whole
 * lines: bytes as they are, split after each {@code '\n'}. Each chunk read is handed on under the log's lock, so
 * the lines of two streams never interleave, and flushed when the stream has nothing more available, so that
 * {@code tail -f} shows them at once.
 * <p>
 * A line cut by EOF is handed on with a line break to add. A line longer than {@link #MAX_LINE_BYTES} is
 * handed on in pieces of that size, each with a line break to add, so one runaway line cannot exhaust memory.
 */
final class LogStreamReader implements Runnable {

    /** Where the lines go; called under the log's lock. */
    interface LineSink {
        /**
         * @param length the line's bytes, with its {@code '\n'} unless {@code addLineBreak}
         */
        void writeLine(byte[] bytes, int offset, int length, boolean addLineBreak);

        void flush();
    }

    // the logger of the log as a whole, as before AgentLog was split: operators may filter on it
    private static final Logger LOG = LoggerFactory.getLogger(AgentLog.class);

    /** Longest line kept whole (bytes before its '\n'); longer lines are handed on in pieces of this size. */
    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    private static final int READ_CHUNK_BYTES = 64 * 1024;
    private static final int INITIAL_PARTIAL_BYTES = 256;
    private static final int KEPT_PARTIAL_BYTES = 64 * 1024;

    private final InputStream stream;
    private final String streamName;
    private final String agentName;
    private final Object lock;
    private final LineSink sink;
    private final Consumer<LogStreamReader> ended;
    private final CountDownLatch drained = new CountDownLatch(1);
    /** The start of a line whose end has not been read yet; owned by the reader thread. */
    private byte[] partial = new byte[INITIAL_PARTIAL_BYTES];
    private int partialLength;

    /**
     * @param lock held while lines go to {@code sink}
     * @param ended told on the reader thread once the stream has ended and everything read is flushed
     */
    LogStreamReader(InputStream stream, String streamName, String agentName, Object lock, LineSink sink,
                    Consumer<LogStreamReader> ended) {
        this.stream = stream;
        this.streamName = streamName;
        this.agentName = agentName;
        this.lock = lock;
        this.sink = sink;
        this.ended = ended;
    }

    /**
     * Waits until the stream has ended and everything read from it is written and flushed.
     *
     * @return whether that happened within {@code nanos}
     */
    boolean awaitDrained(long nanos) throws InterruptedException {
        return drained.await(nanos, TimeUnit.NANOSECONDS);
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
                        sink.flush(); // so that tail -f shows the lines now
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("the {} of agent {} ended with an error: {}", streamName, agentName, e.toString());
        } finally {
            synchronized (lock) {
                if (partialLength > 0) {
                    sink.writeLine(partial, 0, partialLength, true);
                    partialLength = 0;
                }
                sink.flush();
            }
            closeStream();
            ended.accept(this);
            drained.countDown();
        }
    }

    private void closeStream() {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("cannot close the {} of agent {}: {}", streamName, agentName, e.toString());
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
                    sink.writeLine(chunk, lineStart, i + 1 - lineStart, false);
                } else {
                    appendPartial(chunk, lineStart, i + 1 - lineStart, true);
                    sink.writeLine(partial, 0, partialLength, false);
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
            sink.writeLine(partial, 0, partialLength, true);
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
            partial = new byte[INITIAL_PARTIAL_BYTES];
        }
    }
}
