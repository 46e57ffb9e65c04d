package io.opsd.collector.load.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Processes running now: the entries of {@code /proc} whose names are all digits. Listing the directory reads
 * names only (no stat per entry); it costs about half a microsecond per process, some 50 µs on a gateway with
 * a hundred, which is why this is the one count here that is not read from a single small file.
 */
final class ProcessCount {

    private ProcessCount() {
    }

    static long of(Path procRoot) throws IOException {
        long count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
            for (Path entry : entries) {
                if (isPid(entry.getFileName().toString())) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
