package io.opsd.manager.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * How long to wait before trying the Manager again: from 1 s, doubling up to {@code reconnect_max}, each wait
 * with jitter so that nodes which lost the Manager together do not come back together.
 */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);

    private final Duration max;
    /** {@code n} → a number from 0 to {@code n - 1}. */
    private final LongUnaryOperator random;
    private Duration current = FIRST;

    Backoff(Duration max) {
        this(max, n -> ThreadLocalRandom.current().nextLong(n));
    }

    Backoff(Duration max, LongUnaryOperator random) {
        this.max = max;
        this.random = random;
    }

    /** The backoff the next wait is based on, as announced in the log. */
    Duration current() {
        return current;
    }

    /** The next wait, from the current backoff to half as much again; the backoff then doubles, up to the max. */
    Duration next() {
        long millis = current.toMillis();
        long jittered = millis / 2 + random.applyAsLong(millis / 2 + 1);
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(max) > 0 ? max : doubled;
        return Duration.ofMillis(jittered + millis / 2);
    }

    /** The Manager answered: the next outage starts from 1 s again. */
    void reset() {
        current = FIRST;
    }
}
