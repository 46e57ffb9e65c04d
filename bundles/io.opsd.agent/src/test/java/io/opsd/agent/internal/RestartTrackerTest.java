package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RestartTrackerTest {

    private static final Duration RESET_AFTER = Duration.ofMinutes(5);

    private final ManualTimers timers = new ManualTimers();
    private final RestartTracker tracker = new RestartTracker(timers);

    private static RestartPolicy policy(RestartPolicy.Mode mode, int maxRetries) {
        return new RestartPolicy(mode, maxRetries, Duration.ofSeconds(1), Duration.ofSeconds(4), RESET_AFTER);
    }

    private RestartTracker.Restart restartAfterFailure(RestartPolicy policy) {
        return assertInstanceOf(RestartTracker.Restart.class, tracker.afterEnd(policy, true, true));
    }

    @Test
    void theBackoffDoublesFromTheBaseUpToTheMaximum() {
        RestartPolicy always = policy(RestartPolicy.Mode.ALWAYS, 10);
        List<Long> delays = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RestartTracker.Restart restart = restartAfterFailure(always);
            delays.add(restart.delay().toSeconds());
            attempts.add(restart.attempt());
        }
        assertEquals(List.of(1L, 2L, 4L, 4L, 4L, 4L), delays);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), attempts);
        assertEquals(6, tracker.count());
    }

    @Test
    void theAgentFailsOnceMaxRetriesRestartsInARowDidNotHelp() {
        RestartPolicy threeRetries = policy(RestartPolicy.Mode.ALWAYS, 3);
        for (int i = 0; i < 3; i++) {
            restartAfterFailure(threeRetries);
        }
        RestartTracker.GiveUp giveUp = assertInstanceOf(RestartTracker.GiveUp.class,
            tracker.afterEnd(threeRetries, true, true));
        assertEquals(4, giveUp.endings());
        assertEquals(3, tracker.count());
    }

    @Test
    void zeroRetriesFailsAtTheFirstEnd() {
        assertInstanceOf(RestartTracker.GiveUp.class, tracker.afterEnd(policy(RestartPolicy.Mode.ALWAYS, 0), true,
            false));
    }

    @Test
    void neverRestartsNothing() {
        RestartPolicy never = policy(RestartPolicy.Mode.NEVER, 10);
        assertInstanceOf(RestartTracker.Stop.class, tracker.afterEnd(never, true, true));
        assertInstanceOf(RestartTracker.Stop.class, tracker.afterEnd(never, true, false));
        assertEquals(0, tracker.count());
    }

    @Test
    void onFailureRestartsAFailureButNotAnExitWithCodeZero() {
        RestartPolicy onFailure = policy(RestartPolicy.Mode.ON_FAILURE, 10);
        assertInstanceOf(RestartTracker.Stop.class, tracker.afterEnd(onFailure, true, false));
        assertEquals(0, tracker.count());
        assertEquals(1, restartAfterFailure(onFailure).attempt());
    }

    @Test
    void alwaysRestartsAnExitWithCodeZero() {
        assertInstanceOf(RestartTracker.Restart.class, tracker.afterEnd(policy(RestartPolicy.Mode.ALWAYS, 10), true,
            false));
    }

    @Test
    void anAgentNotMeantToRunIsNotRestarted() {
        assertInstanceOf(RestartTracker.Stop.class, tracker.afterEnd(policy(RestartPolicy.Mode.ALWAYS, 10), false,
            true));
        assertEquals(0, tracker.count());
    }

    @Test
    void theRestartRunsAfterItsDelayUnlessCancelled() {
        RestartTracker.Restart restart = restartAfterFailure(policy(RestartPolicy.Mode.ALWAYS, 10));
        AtomicInteger launches = new AtomicInteger();
        tracker.schedule(restart, launches::incrementAndGet);
        assertEquals(Duration.ofSeconds(1), timers.last().delay);
        timers.last().fire();
        assertEquals(1, launches.get());

        tracker.schedule(restartAfterFailure(policy(RestartPolicy.Mode.ALWAYS, 10)), launches::incrementAndGet);
        tracker.cancelPending();
        assertTrue(timers.last().cancelled());
        timers.last().fire();
        assertEquals(1, launches.get());
    }

    @Test
    void theCountStartsOverAfterASteadyRunOfResetAfter() {
        RestartPolicy always = policy(RestartPolicy.Mode.ALWAYS, 10);
        for (int i = 0; i < 3; i++) {
            restartAfterFailure(always);
        }
        AtomicInteger resets = new AtomicInteger();
        tracker.resetAfter(RESET_AFTER, () -> true, resets::incrementAndGet);
        assertEquals(RESET_AFTER, timers.last().delay);
        timers.last().fire();

        assertEquals(0, tracker.count());
        assertEquals(1, resets.get());
        RestartTracker.Restart next = restartAfterFailure(always);
        assertEquals(1, next.attempt());
        assertEquals(Duration.ofSeconds(1), next.delay());
    }

    @Test
    void anUnsteadyRunKeepsTheCount() {
        RestartPolicy always = policy(RestartPolicy.Mode.ALWAYS, 10);
        restartAfterFailure(always);
        restartAfterFailure(always);
        AtomicBoolean steady = new AtomicBoolean(false);
        AtomicInteger resets = new AtomicInteger();
        tracker.resetAfter(RESET_AFTER, steady::get, resets::incrementAndGet);
        timers.last().fire();
        assertEquals(2, tracker.count());
        assertEquals(0, resets.get());
    }

    @Test
    void aCancelledResetKeepsTheCount() {
        restartAfterFailure(policy(RestartPolicy.Mode.ALWAYS, 10));
        tracker.resetAfter(RESET_AFTER, () -> true, () -> { });
        tracker.cancelReset();
        assertTrue(timers.last().cancelled());
        timers.last().fire();
        assertEquals(1, tracker.count());
    }

    @Test
    void noResetIsToldWhenThereWasNothingToReset() {
        AtomicInteger resets = new AtomicInteger();
        tracker.resetAfter(RESET_AFTER, () -> true, resets::incrementAndGet);
        timers.last().fire();
        assertEquals(0, resets.get());
    }

    @Test
    void anOperatorsStartStartsTheCountOver() {
        RestartPolicy always = policy(RestartPolicy.Mode.ALWAYS, 10);
        restartAfterFailure(always);
        restartAfterFailure(always);
        tracker.startOver();
        assertEquals(1, restartAfterFailure(always).attempt());
    }

    @Test
    void aRestoredCountContinuesTheBackoff() {
        tracker.restore(2);
        RestartTracker.Restart next = restartAfterFailure(policy(RestartPolicy.Mode.ALWAYS, 10));
        assertEquals(3, next.attempt());
        assertEquals(Duration.ofSeconds(4), next.delay());
    }
}
