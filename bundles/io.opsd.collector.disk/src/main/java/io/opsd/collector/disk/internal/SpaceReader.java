package io.opsd.collector.disk.internal;

import java.io.IOException;
import java.util.Set;

/** Reads the size of a mounted file system. */
interface SpaceReader {

    /**
     * The size of one file system.
     *
     * @param totalBytes its size
     * @param freeBytes bytes not allocated, including the blocks reserved for root
     * @param availableBytes bytes an unprivileged user can still write
     */
    record Space(long totalBytes, long freeBytes, long availableBytes) {
    }

    Space read(String mountPoint) throws IOException;

    /** Forgets what is kept for mount points no longer reported. */
    default void retainOnly(Set<String> mountPoints) {
    }
}
