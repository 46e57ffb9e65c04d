package io.opsd.api.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CounterDeltasTest {

    @Test
    void theFirstValueGivesNoDeltaThenDifferencesFollow() {
        CounterDeltas<String> d = new CounterDeltas<>();
        assertEquals(OptionalLong.empty(), d.delta("eth0", 1_000));
        assertEquals(OptionalLong.of(500), d.delta("eth0", 1_500));
        assertEquals(OptionalLong.of(0), d.delta("eth0", 1_500));
    }

    @Test
    void aResetOrAWrapReseedsInsteadOfGivingANegativeOrHugeDelta() {
        CounterDeltas<String> d = new CounterDeltas<>();
        d.delta("eth0", 4_294_967_000L);
        assertEquals(OptionalLong.empty(), d.delta("eth0", 200), "32-bit wrap");
        assertEquals(OptionalLong.of(100), d.delta("eth0", 300));
        assertEquals(OptionalLong.empty(), d.delta("eth0", 0), "reset");
        assertEquals(OptionalLong.of(7), d.delta("eth0", 7));
    }

    @Test
    void keysThatWentAwayAreForgotten() {
        CounterDeltas<String> d = new CounterDeltas<>();
        d.delta("veth1", 10);
        d.retainOnly(Set.of());
        assertEquals(OptionalLong.empty(), d.delta("veth1", 20), "a returning key starts over");
    }
}
