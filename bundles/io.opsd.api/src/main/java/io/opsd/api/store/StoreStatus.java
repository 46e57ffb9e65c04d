package io.opsd.api.store;

import java.time.Instant;
import java.util.Optional;

/**
 * How the store is doing.
 *
 * @param agents agents held
 * @param pendingWrites agents whose latest state is not on disk yet
 * @param updates changes applied since the store started
 * @param writes files written since the store started
 * @param writeErrors failed writes
 * @param corruptFiles files found unreadable at load and set aside
 * @param lastWrite when the last write succeeded
 * @param problem what is wrong now (writes failing), until a write succeeds
 */
public record StoreStatus(int agents, int pendingWrites, long updates, long writes, long writeErrors,
                          long corruptFiles, Optional<Instant> lastWrite, Optional<String> problem) {
}
