package io.opsd.store.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

final class StoreTesting {

    private StoreTesting() {
    }

    /** A store whose periodic writer waits an hour, so only flush() writes: writes can be counted exactly. */
    static FileMetadataStore manualFlush(Path dir) {
        return new FileMetadataStore(dir, new StoreSettings(Duration.ofHours(24), 1440, Duration.ofHours(1),
            Duration.ofHours(1)), Clock.systemUTC());
    }

    static FileMetadataStore withFlushInterval(Path dir, Duration interval) {
        return new FileMetadataStore(dir, new StoreSettings(Duration.ofHours(24), 1440, interval,
            Duration.ofSeconds(1)), Clock.systemUTC());
    }
}
