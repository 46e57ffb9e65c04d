package io.opsd.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The PID file: the decimal PID with no newline, as the old daemon wrote it. Whether another opsd is alive is
 * decided by a lock on {@code <pid file>.lock}, which the kernel releases when its holder dies, so a PID file
 * left behind by a crash never blocks a start, and a reused PID never fakes a running opsd.
 */
final class PidFile implements AutoCloseable {

    static final class AlreadyRunningException extends Exception {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String staleNote;

    private PidFile(Path file, FileChannel lockChannel, FileLock lock, String staleNote) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.staleNote = staleNote;
    }

    static PidFile acquire(Path file) throws IOException, AlreadyRunningException {
        Path lockPath = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new AlreadyRunningException("another opsd is running with the PID file " + file
                + holder(file) + "; stop it first, or give this one another home (--home)");
        }
        String stale = null;
        Optional<String> previous = read(file);
        if (previous.isPresent()) {
            stale = "replaced the stale PID file " + file + " (pid " + previous.get() + " no longer runs opsd)";
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new PidFile(file, channel, lock, stale);
    }

    Optional<String> staleNote() {
        return Optional.ofNullable(staleNote);
    }

    /** Removes the PID file, then releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            lock.release();
            lockChannel.close();
        }
    }

    private static String holder(Path file) {
        return read(file).map(pid -> " (pid " + pid + ")").orElse("");
    }

    private static Optional<String> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,10}") ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
