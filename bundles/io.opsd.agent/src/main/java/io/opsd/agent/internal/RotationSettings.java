package io.opsd.agent.internal;

/**
 * How an agent's log is bounded: {@code agent.log} rotates before it passes {@code maxSize} bytes, at most
 * {@code maxFiles} rotated files are kept (none: the active file is deleted at rotation), gzipped or not.
 */
record RotationSettings(long maxSize, int maxFiles, boolean compress) {

    RotationSettings {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
        }
        if (maxFiles < 0) {
            throw new IllegalArgumentException("maxFiles must not be negative: " + maxFiles);
        }
    }

    /** Whether a rotation leaves a rotated file for the compressor. */
    boolean compressesRotatedFiles() {
        return compress && maxFiles > 0;
    }
}
