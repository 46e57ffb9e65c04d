package io.opsd.agent.internal;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one agent's log in its directory, and the settings that bound them: the active {@code agent.log}
 * and the rotated {@code agent.log.N} (1 is the newest), each plain or gzipped ({@code agent.log.N.gz}, written as
 * {@code .gz.tmp} first).
 * <p>
 * It counts rotations, so that a rotated file can be followed while later rotations move it up. Not thread-safe:
 * the lock of its {@link AgentLog} guards it.
 */
final class LogFileSet {

    static final String ACTIVE_NAME = "agent.log";
    static final String GZ = ".gz";
    static final String TMP = ".tmp";

    private static final Pattern ROTATED_NAME =
        Pattern.compile(Pattern.quote(ACTIVE_NAME) + "\\.([1-9][0-9]{0,8})(\\.gz)?");

    private final Path dir;
    private final Path active;
    private RotationSettings settings;
    /** Rotations so far: a rotated file's index is {@code rotations - itsRotation + 1}. */
    private long rotations;

    LogFileSet(Path dir, RotationSettings settings) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.active = dir.resolve(ACTIVE_NAME);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    Path dir() {
        return dir;
    }

    Path active() {
        return active;
    }

    RotationSettings settings() {
        return settings;
    }

    /** Takes effect at the next line and rotation. */
    void settings(RotationSettings next) {
        settings = Objects.requireNonNull(next, "settings");
    }

    Path rotated(long index, boolean gzipped) {
        return dir.resolve(ACTIVE_NAME + "." + index + (gzipped ? GZ : ""));
    }

    /**
     * Moves every rotated file up by one index and deletes those that would pass maxFiles (also those left by a
     * larger maxFiles before), so that index 1 is free for the file being rotated.
     */
    void shiftRotated() throws IOException {
        int maxFiles = settings.maxFiles();
        deleteRotatedFrom(maxFiles);
        for (int index = maxFiles - 1; index >= 1; index--) {
            moveIfPresent(rotated(index, false), rotated(index + 1, false));
            moveIfPresent(rotated(index, true), rotated(index + 1, true));
        }
    }

    /** Moves the active file to index 1, or deletes it when no rotated file is kept. */
    void rotateActiveByRename() throws IOException {
        if (settings.maxFiles() > 0) {
            moveIfPresent(active, rotated(1, false));
        } else {
            Files.deleteIfExists(active);
        }
    }

    /** Counts a finished rotation: every rotated file's index has grown by one. */
    void countRotation() {
        rotations++;
    }

    /** Where a file rotated at {@code rotation} is now; below 1 once it is deleted. */
    long indexOf(long rotation) {
        return rotations - rotation + 1;
    }

    /** The rotation that put the file now at {@code index} there. */
    long rotationAt(long index) {
        return rotations - index + 1;
    }

    /** The rotated files not gzipped yet, by index. */
    TreeMap<Integer, Path> plainRotated() throws IOException {
        TreeMap<Integer, Path> plainFiles = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ACTIVE_NAME + ".*")) {
            for (Path entry : entries) {
                Matcher matcher = ROTATED_NAME.matcher(entry.getFileName().toString());
                if (matcher.matches() && matcher.group(2) == null) {
                    plainFiles.put(Integer.parseInt(matcher.group(1)), entry);
                }
            }
        }
        return plainFiles;
    }

    /**
     * Undoes what a crash during compression left: a partial {@code .gz.tmp} is deleted (its plain file is still
     * there); a plain file next to its {@code .gz} is deleted (a {@code .gz} is renamed into place only complete).
     *
     * @return whether plain rotated files remain
     */
    boolean cleanUpInterruptedCompression() throws IOException {
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
}
