package io.opsd.api.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How an agent's process last ended: an exit code, or the signal that killed it.
 *
 * @param time when it ended
 * @param code the exit code, when it exited by itself
 * @param signal the signal name ({@code SIGKILL}), when a signal ended it
 */
public record LastExit(Instant time, OptionalInt code, Optional<String> signal) {

    public LastExit {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(signal, "signal");
    }

    public static LastExit code(Instant time, int code) {
        return new LastExit(time, OptionalInt.of(code), Optional.empty());
    }

    public static LastExit signal(Instant time, String signal) {
        return new LastExit(time, OptionalInt.empty(), Optional.of(signal));
    }
}
